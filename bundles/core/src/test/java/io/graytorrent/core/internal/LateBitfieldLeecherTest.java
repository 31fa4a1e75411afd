package io.graytorrent.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.peerwire.MessageIds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leecher announcing its pieces as some mainstream clients do, against a seeding engine: two
 * BITFIELDs when it connects, then a BITFIELD in place of a run of HAVEs. It reconnects whenever
 * the engine hangs up, as those clients do; the whole torrent must come over one connection.
 */
@Timeout(60)
class LateBitfieldLeecherTest {
    private static final int PIECE_LENGTH = 32 * 1024;
    private static final int BLOCK = 16 * 1024;
    private static final byte[] NO_EXTENSIONS = new byte[8];

    @TempDir
    Path dir;

    @Test
    void downloadsTheWholeTorrentOverOneConnection() throws Exception {
        byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "late", PIECE_LENGTH, 5, 700_000, 600_000);
        Metainfo metainfo = new MetainfoParser().parse(torrent);
        int pieces = metainfo.pieceCount();
        try (EngineFixture seeder = new EngineFixture(dir.resolve("state"))) {
            seeder.await(seeder.add(torrent, dir.resolve("seed")).id(), EngineFixture.seeding(), Duration.ofSeconds(30));
            BitSet have = new BitSet(pieces);
            int connections = 0;
            while (have.cardinality() < pieces && connections < 10) {
                connections++;
                try (ScriptedPeer leecher = ScriptedPeer.connect(seeder.address())
                        .handshake(metainfo.infoHash(), NO_EXTENSIONS)) {
                    leecher.send(MessageIds.BITFIELD, bitfield(have, pieces));
                    leecher.send(MessageIds.BITFIELD, bitfield(have, pieces));
                    leecher.send(MessageIds.INTERESTED);
                    readUntil(leecher, MessageIds.UNCHOKE);
                    for (int piece = have.nextClearBit(0); piece < pieces; piece = have.nextClearBit(piece + 1)) {
                        download(leecher, metainfo, piece);
                        have.set(piece);
                        announce(leecher, have, piece, pieces);
                    }
                    // the engine saw every piece through the HAVEs and late BITFIELDs: both sides are seeds now
                    assertTrue(leecher.closedByEngine(Duration.ofSeconds(5)), "the engine knows the leecher is complete");
                } catch (IOException hungUp) {
                    System.out.printf("late bitfields: the engine hung up after %d pieces: %s%n", have.cardinality(), hungUp);
                }
            }
            assertEquals(pieces, have.cardinality(), "every piece downloaded and verified");
            assertEquals(1, connections, "one connection carried the whole torrent");
        }
    }

    /** HAVE for every fourth piece, nothing for the next two, then a BITFIELD covering them: a late BITFIELD. */
    private static void announce(ScriptedPeer leecher, BitSet have, int piece, int pieces) throws IOException {
        if (piece % 4 == 0) {
            leecher.send(MessageIds.HAVE, ScriptedPeer.ints(piece));
        } else if (piece % 4 == 3 || piece == pieces - 1) {
            leecher.send(MessageIds.BITFIELD, bitfield(have, pieces));
        }
    }

    /** Requests the piece's blocks at once, collects them and checks the piece's SHA-1. */
    private static void download(ScriptedPeer leecher, Metainfo metainfo, int piece) throws Exception {
        int length = metainfo.pieceLength(piece);
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        for (int offset = 0; offset < length; offset += BLOCK) {
            requests.writeBytes(ScriptedPeer.requestFrame(piece, offset, Math.min(BLOCK, length - offset)));
        }
        leecher.write(requests.toByteArray());
        byte[] data = new byte[length];
        for (int received = 0; received < length; ) {
            ByteBuffer block = ByteBuffer.wrap(readUntil(leecher, MessageIds.PIECE));
            block.get();
            assertEquals(piece, block.getInt());
            int offset = block.getInt();
            received += block.remaining();
            block.get(data, offset, block.remaining());
        }
        assertArrayEquals(metainfo.pieceHash(piece), sha1(data), "piece " + piece);
    }

    private static byte[] readUntil(ScriptedPeer leecher, int id) throws IOException {
        while (true) {
            byte[] message = leecher.readMessage();
            if (message[0] == id) {
                return message;
            }
        }
    }

    /** {@code <bits>} of a BITFIELD: piece 0 is the high bit of the first byte. */
    private static byte[] bitfield(BitSet have, int pieces) {
        byte[] bits = new byte[(pieces + 7) / 8];
        for (int piece = have.nextSetBit(0); piece >= 0; piece = have.nextSetBit(piece + 1)) {
            bits[piece >>> 3] |= (byte) (0x80 >>> (piece & 7));
        }
        return bits;
    }

    private static byte[] sha1(byte[] data) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-1").digest(data);
    }
}
