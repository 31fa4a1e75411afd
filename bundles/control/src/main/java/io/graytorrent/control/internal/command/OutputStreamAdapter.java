package io.graytorrent.control.internal.command;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns the bytes a command writes into text pieces, passed on up to the last line end or carriage
 * return (progress bars redraw with it) of each write and at each flush, so a client sees output as
 * it happens. One piece per write, not per line: a 2,000-row listing is a few pieces, not 2,000.
 */
final class OutputStreamAdapter extends OutputStream {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final Consumer<String> sink;

    OutputStreamAdapter(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int afterLineEnd = end;
        while (afterLineEnd > offset && !isLineEnd(bytes[afterLineEnd - 1])) {
            afterLineEnd--;
        }
        pending.write(bytes, offset, afterLineEnd - offset);
        if (afterLineEnd > offset) {
            flush();
        }
        pending.write(bytes, afterLineEnd, end - afterLineEnd);
    }

    private static boolean isLineEnd(byte b) {
        return b == '\n' || b == '\r';
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
