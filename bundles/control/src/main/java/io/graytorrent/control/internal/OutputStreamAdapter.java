package io.graytorrent.control.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns the bytes a command writes into text pieces, passed on at each line end, carriage return
 * (progress bars redraw with it) and flush, so a client sees output as it happens.
 */
final class OutputStreamAdapter extends OutputStream {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final Consumer<String> sink;

    OutputStreamAdapter(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public synchronized void write(int b) {
        pending.write(b);
        if (b == '\n' || b == '\r') {
            flush();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public synchronized void flush() {
        if (pending.size() > 0) {
            sink.accept(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
        }
    }

    @Override
    public void close() {
        flush();
    }
}
