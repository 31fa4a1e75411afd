package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.peerwire.MessageIds;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Interop;
import io.graytorrent.testkit.ScriptedPeer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.BitSet;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code gray get --seed} serves a leecher that announces its pieces as some mainstream
 * clients do: two BITFIELDs in a row after the handshake, then a late BITFIELD instead of HAVEs as
 * pieces complete. The whole torrent goes over one connection; an engine that hung up on the
 * second BITFIELD made such clients crawl through reconnects (issue 25).
 */
@Timeout(180)
@Interop
class LateBitfieldIT {
    @TempDir
    Path work;

    @Test
    void aLeecherSendingLateBitfieldsGetsTheWholeTorrentOverOneConnection() throws Exception {
        byte[] bytes = new byte[(3 << 20) + 100_000]; // 13 pieces of 256 KiB, the last a short one
        new Random(25).nextBytes(bytes);
        Files.createDirectories(work.resolve("seed/data"));
        Files.write(work.resolve("seed/data/payload.bin"), bytes);
        GrayCommand gray = new GrayCommand(work.resolve("home"), work);
        GrayCommand.assertSucceeds(gray.run("create", "seed/data", "--piece-size", "256k", "-o", "late.torrent"));
        Metainfo metainfo = new MetainfoParser().parse(Files.readAllBytes(work.resolve("late.torrent")));

        int port = freePort();
        Path out = work.resolve("seed.out");
        Path err = work.resolve("seed.err");
        Process seeder = gray.start(out, err, "get", "late.torrent", "--seed", "--port", Integer.toString(port), "-d", "seed");
        try {
            Await.until("gray get --seed seeding", Duration.ofSeconds(60), () -> {
                if (!seeder.isAlive()) {
                    throw new AssertionError("gray get ended: " + read(out) + read(err));
                }
                return read(out).contains("seeding until interrupted");
            });
            leechEverything(new InetSocketAddress("127.0.0.1", port), metainfo);
        } finally {
            seeder.destroy();
            if (!seeder.waitFor(30, TimeUnit.SECONDS)) {
                seeder.destroyForcibly();
            }
        }
    }

    /**
     * One connection: an empty BITFIELD twice, INTERESTED, then each piece's blocks, announcing
     * every second piece (and the last) with a late BITFIELD of all it has.
     */
    private static void leechEverything(InetSocketAddress seeder, Metainfo metainfo) throws Exception {
        int pieces = metainfo.pieceCount();
        BitSet have = new BitSet(pieces);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        try (ScriptedPeer leecher = ScriptedPeer.connect(seeder)
                .handshake(metainfo.infoHash().toBytes(), ScriptedPeer.NO_EXTENSIONS)) {
            try {
                leecher.send(MessageIds.BITFIELD, bitfield(have, pieces));
                leecher.send(MessageIds.BITFIELD, bitfield(have, pieces));
                leecher.send(MessageIds.INTERESTED);
                leecher.readUntil(MessageIds.UNCHOKE);
                for (int piece = 0; piece < pieces; piece++) {
                    byte[] data = leecher.downloadPiece(piece, metainfo.pieceLength(piece));
                    assertArrayEquals(metainfo.pieceHash(piece), sha1.digest(data), "piece " + piece);
                    have.set(piece);
                    if (piece % 2 == 1 || piece == pieces - 1) {
                        leecher.send(MessageIds.BITFIELD, bitfield(have, pieces));
                    }
                }
            } catch (IOException hungUp) {
                throw new AssertionError("the engine hung up after " + have.cardinality() + " of " + pieces + " pieces",
                        hungUp);
            }
            // only the late BITFIELDs told it the leecher is complete; two seeds have nothing to say
            assertTrue(leecher.closedByRemote(Duration.ofSeconds(20)), "the engine knows the leecher is complete");
        }
        assertEquals(pieces, have.cardinality());
    }

    /** BITFIELD's payload: piece 0 is the high bit of the first byte. */
    private static byte[] bitfield(BitSet have, int pieces) {
        byte[] bits = new byte[(pieces + 7) / 8];
        have.stream().forEach(piece -> bits[piece >>> 3] |= (byte) (0x80 >>> (piece & 7)));
        return bits;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
