package io.graytorrent.core.internal.engine;

import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.ScriptedPeer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A malicious peer (see {@link ScriptedPeer.Listening}): it claims every piece, unchokes at once, answers every
 * REQUEST with random bytes and also sends a block nobody asked for.
 */
final class CorruptingPeer extends ScriptedPeer.Listening {
    private final int pieceCount;
    private final Random random = new Random(7);
    final AtomicInteger blocksServed = new AtomicInteger();

    CorruptingPeer(InfoHash infoHash, int pieceCount) throws IOException {
        super(infoHash.toBytes(), new byte[8], "-XX0001-badbadbadbad");
        this.pieceCount = pieceCount;
    }

    @Override
    protected void converse(DataInputStream in, DataOutputStream out) throws IOException {
        ScriptedPeer.writeSeedOpening(out, pieceCount);
        writePiece(out, pieceCount - 1, 0, 1024); // unrequested
        out.flush();
        while (true) {
            int length = in.readInt();
            byte[] message = new byte[length];
            in.readFully(message);
            if (length == 13 && message[0] == 6) {
                var request = java.nio.ByteBuffer.wrap(message, 1, 12);
                writePiece(out, request.getInt(), request.getInt(), request.getInt());
                out.flush();
                blocksServed.incrementAndGet();
            }
        }
    }

    private void writePiece(DataOutputStream out, int piece, int offset, int length) throws IOException {
        byte[] garbage = new byte[length];
        random.nextBytes(garbage);
        out.writeInt(9 + length);
        out.writeByte(7);
        out.writeInt(piece);
        out.writeInt(offset);
        out.write(garbage);
    }
}
