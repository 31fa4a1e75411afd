package io.graytorrent.utp.internal.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/** Bytes written and not yet packed into packets, up to a capacity. */
final class SendBuffer {
    private final int capacity;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int headOffset;
    private int bytes;

    SendBuffer(int capacity) {
        this.capacity = capacity;
    }

    /** Copies as much of {@code src} as fits; returns how much. */
    int add(ByteBuffer src) {
        int n = Math.min(src.remaining(), room());
        if (n > 0) {
            byte[] chunk = new byte[n];
            src.get(chunk);
            chunks.add(chunk);
            bytes += n;
        }
        return n;
    }

    /** The next {@code n} bytes (at most {@link #bytes}), removed. */
    byte[] take(int n) {
        byte[] out = new byte[n];
        int filled = 0;
        while (filled < n) {
            byte[] head = chunks.peek();
            int part = Math.min(n - filled, head.length - headOffset);
            System.arraycopy(head, headOffset, out, filled, part);
            filled += part;
            headOffset += part;
            if (headOffset == head.length) {
                chunks.poll();
                headOffset = 0;
            }
        }
        bytes -= n;
        return out;
    }

    int bytes() {
        return bytes;
    }

    int room() {
        return capacity - bytes;
    }

    void clear() {
        chunks.clear();
        headOffset = 0;
        bytes = 0;
    }
}
