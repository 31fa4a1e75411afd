package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.TorrentState;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.peerwire.MessageIds;
import io.graytorrent.testkit.ScriptedPeer;
import io.graytorrent.testkit.Unit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripted peers announcing their pieces as some mainstream clients do, late and more than once:
 * a downloading engine counts each peer's union, and a leecher sending late BITFIELDs gets the
 * whole torrent from a seeding engine over one connection.
 */
@Timeout(60)
@Unit
class LateAvailabilityEngineTest {
    private static final int PIECE_LENGTH = 32 * 1024;

    @TempDir
    Path dir;

    @Test
    void theEngineCountsWhatEachPeerAnnouncedInAnyOrder() throws Exception {
        byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "counted", PIECE_LENGTH, 6, 200_000, 180_000);
        Metainfo metainfo = new MetainfoParser().parse(torrent);
        int pieces = metainfo.pieceCount();
        BitSet all = new BitSet();
        all.set(0, pieces);
        try (EngineFixture leeching = new EngineFixture(dir.resolve("state"))) {
            int id = leeching.add(torrent, dir.resolve("empty")).id();
            leeching.await(id, status -> status.state() == TorrentState.DOWNLOADING, Duration.ofSeconds(30));
            List<ScriptedPeer> peers = new ArrayList<>();
            try {
                peers.add(announcing(leeching, metainfo, // HAVE then BITFIELD
                        have(3), bitfieldMessage(pieces(0, 1, 3), pieces)));
                peers.add(announcing(leeching, metainfo, // BITFIELD twice
                        bitfieldMessage(pieces(4), pieces), bitfieldMessage(pieces(4, 5), pieces)));
                peers.add(announcing(leeching, metainfo, // HAVE_ALL after HAVEs
                        have(7), have(8), new byte[] {MessageIds.HAVE_ALL}));
                peers.add(announcing(leeching, metainfo, // HAVE_NONE late
                        bitfieldMessage(pieces(9), pieces), new byte[] {MessageIds.HAVE_NONE}));
                int[] expected = new int[pieces];
                for (BitSet announced : List.of(pieces(0, 1, 3), pieces(4, 5), all, pieces(9))) {
                    announced.stream().forEach(piece -> expected[piece]++);
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                int[] counted = leeching.engine.pieces(Integer.toString(id)).availability();
                while (!Arrays.equals(expected, counted) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    counted = leeching.engine.pieces(Integer.toString(id)).availability();
                }
                assertArrayEquals(expected, counted, "availability per piece");
                for (ScriptedPeer peer : peers) {
                    assertFalse(peer.closedByRemote(Duration.ofMillis(200)), "late availability is no reason to hang up");
                }
            } finally {
                for (ScriptedPeer peer : peers) {
                    peer.close();
                }
            }
        }
    }

    @Test
    void aLeecherSendingLateBitfieldsDownloadsTheWholeTorrentOverOneConnection() throws Exception {
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
                        .handshake(metainfo.infoHash().toBytes(), ScriptedPeer.NO_EXTENSIONS)) {
                    send(leecher, bitfieldMessage(have, pieces));
                    send(leecher, bitfieldMessage(have, pieces));
                    leecher.send(MessageIds.INTERESTED);
                    leecher.readUntil(MessageIds.UNCHOKE);
                    for (int piece = have.nextClearBit(0); piece < pieces; piece = have.nextClearBit(piece + 1)) {
                        assertArrayEquals(metainfo.pieceHash(piece),
                                sha1(leecher.downloadPiece(piece, metainfo.pieceLength(piece))), "piece " + piece);
                        have.set(piece);
                        announce(leecher, have, piece, pieces);
                    }
                    // the engine saw every piece through the HAVEs and late BITFIELDs: both sides are seeds now
                    assertTrue(leecher.closedByRemote(Duration.ofSeconds(5)), "the engine knows the leecher is complete");
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
            send(leecher, have(piece));
        } else if (piece % 4 == 3 || piece == pieces - 1) {
            send(leecher, bitfieldMessage(have, pieces));
        }
    }

    /** A peer that handshakes (Fast extension) with {@code engine} and sends {@code messages} (id, payload). */
    private static ScriptedPeer announcing(EngineFixture engine, Metainfo metainfo, byte[]... messages)
            throws IOException {
        ScriptedPeer peer = ScriptedPeer.connect(engine.address()).handshake(metainfo.infoHash().toBytes(), ScriptedPeer.FAST);
        for (byte[] message : messages) {
            send(peer, message);
        }
        return peer;
    }

    /** Sends {@code message} (its id, then the payload) with its length prefix. */
    private static void send(ScriptedPeer peer, byte[] message) throws IOException {
        peer.send(message[0], Arrays.copyOfRange(message, 1, message.length));
    }

    private static byte[] have(int piece) {
        return ByteBuffer.allocate(5).put(MessageIds.HAVE).putInt(piece).array();
    }

    /** {@code <id=5><bits>}: piece 0 is the high bit of the first byte. */
    private static byte[] bitfieldMessage(BitSet have, int pieces) {
        byte[] message = new byte[1 + (pieces + 7) / 8];
        message[0] = MessageIds.BITFIELD;
        have.stream().forEach(piece -> message[1 + (piece >>> 3)] |= (byte) (0x80 >>> (piece & 7)));
        return message;
    }

    private static BitSet pieces(int... indices) {
        BitSet set = new BitSet();
        IntStream.of(indices).forEach(set::set);
        return set;
    }

    private static byte[] sha1(byte[] data) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-1").digest(data);
    }
}
