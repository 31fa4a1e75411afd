package io.graytorrent.utp.internal.protocol;

import java.util.ArrayDeque;

/** Payloads received in order and not yet read. */
final class ReceiveBuffer {
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private long bytes;

    void add(byte[] payload) {
        chunks.add(payload);
        bytes += payload.length;
    }

    byte[] poll() {
        byte[] chunk = chunks.poll();
        if (chunk != null) {
            bytes -= chunk.length;
        }
        return chunk;
    }

    long bytes() {
        return bytes;
    }

    void clear() {
        chunks.clear();
        bytes = 0;
    }
}
