package io.graytorrent.utp.internal.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Bytes written and not yet packed into packets, up to a capacity. They are kept in arrays of one
 * packet's payload each, filled in turn, so that taking a full packet's worth hands over the array
 * as it is: each byte sent is copied once here, not again when its packet is made. The arrays of
 * packets the peer acked come back ({@link #recycle}) to be filled again: the bytes sent were three
 * quarters of what a seeding process allocated, and its collections cost more CPU than the copy.
 */
final class SendBuffer {
    private final int capacity;
    private final int chunkSize;
    /** Full chunks, then the one being filled (its bytes {@link #tailFill}), if any. */
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int tailFill;
    private int bytes;
    /**
     * Arrays given back, at most a full buffer's worth ({@link #maxSpare}): a seeding connection's
     * arrays go round between this buffer and the packets in flight, and fewer spares than acks in a
     * burst leave most of them new ones still, each copied by every young collection it lives through.
     */
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    private final int maxSpare;

    /** {@code chunkSize}: a full packet's payload, the size {@link #take} is mostly asked for. */
    SendBuffer(int capacity, int chunkSize) {
        this.capacity = capacity;
        this.chunkSize = chunkSize;
        this.maxSpare = Math.max(1, capacity / chunkSize);
    }

    /** Copies as much of {@code src} as fits; returns how much. */
    int add(ByteBuffer src) {
        int n = Math.min(src.remaining(), room());
        int left = n;
        while (left > 0) {
            if (chunks.isEmpty() || tailFill == chunkSize) {
                chunks.addLast(spare.isEmpty() ? new byte[chunkSize] : spare.pop());
                tailFill = 0;
            }
            int part = Math.min(left, chunkSize - tailFill);
            src.get(chunks.peekLast(), tailFill, part);
            tailFill += part;
            left -= part;
        }
        bytes += n;
        return n;
    }

    /**
     * The next {@code n} bytes, removed: a full chunk (n of at least one chunk's size) is handed over
     * without a copy. {@code n} must be the chunk size or everything held.
     */
    byte[] take(int n) {
        if (n > bytes || n != chunkSize && (n != bytes || n > chunkSize)) {
            throw new IllegalArgumentException("take " + n + " of " + bytes + " bytes in chunks of " + chunkSize);
        }
        byte[] head = chunks.pollFirst();
        boolean headFull = !chunks.isEmpty() || tailFill == chunkSize;
        bytes -= n;
        if (headFull && n == chunkSize) {
            return head;
        }
        // what is left is the tail alone, not full: n is all of it
        chunks.clear();
        tailFill = 0;
        byte[] part = Arrays.copyOf(head, n);
        recycle(head);
        return part;
    }

    /**
     * An array {@link #take} handed over, no longer read by anyone (its packet was acked), to be
     * filled again; arrays of another size, or past the spares kept, are left to the collector.
     */
    void recycle(byte[] chunk) {
        if (chunk.length == chunkSize && spare.size() < maxSpare) {
            spare.push(chunk);
        }
    }

    int bytes() {
        return bytes;
    }

    int room() {
        return capacity - bytes;
    }

    void clear() {
        chunks.clear();
        spare.clear();
        tailFill = 0;
        bytes = 0;
    }
}
