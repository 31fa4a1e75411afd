package io.graytorrent.core.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.peerwire.MessageIds;
import io.graytorrent.peerwire.PeerWireSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile peers on 127.0.0.1, each a {@link ScriptedPeer} writing raw bytes, against a real engine
 * while an honest engine downloads from it ({@link AttackedSwarm}). Each attack checks what the
 * attacker sees (we hang up, ban, or ignore it), that the honest download completes with correct
 * data meanwhile, and that the memory in use stays bounded.
 */
@Timeout(90)
class MaliciousPeerTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void anOversizedLengthPrefixOrAnEndlessBitfieldIsCutOffAtTheHeader() throws Exception {
        try (AttackedSwarm swarm = new AttackedSwarm(dir)) {
            swarm.startHonestDownload();
            for (int claimed : new int[] {-1, Integer.MAX_VALUE, 16 << 20, 1 + 9 + 16 * 1024 + 1}) {
                try (ScriptedPeer attacker = handshaken(swarm)) {
                    attacker.write(ScriptedPeer.ints(claimed));
                    attacker.write(new byte[] {MessageIds.PIECE});
                    assertTrue(attacker.closedByEngine(PROMPTLY), "a frame of " + claimed + " bytes is refused");
                }
            }
            // a bitfield claiming 8 MiB, its bytes dribbled: refused on the claim, nothing buffered
            try (ScriptedPeer attacker = handshaken(swarm)) {
                attacker.write(ScriptedPeer.ints(8 << 20));
                attacker.write(new byte[] {MessageIds.BITFIELD});
                dribble(attacker, 100);
                assertTrue(attacker.closedByEngine(PROMPTLY), "the endless bitfield was cut off");
                assertFalse(AttackedSwarm.lists(swarm.seeder, attacker.localPort()));
            }
            swarm.assertHonestStillDownloading();
            swarm.assertHonestCompletesAndMemoryBounded("oversized frames");
        }
    }

    @Test
    void haveAndRequestsOutOfRangeOrOfHugeLengthsAreDisconnected() throws Exception {
        try (AttackedSwarm swarm = new AttackedSwarm(dir)) {
            swarm.startHonestDownload();
            int pieces = swarm.metainfo.pieceCount();
            int lastLength = swarm.metainfo.pieceLength(pieces - 1);
            List<byte[]> attacks = List.of(
                    message(MessageIds.HAVE, ScriptedPeer.ints(pieces)),
                    message(MessageIds.HAVE, ScriptedPeer.ints(-1)),
                    message(MessageIds.REQUEST, ScriptedPeer.ints(0, 0, 1 << 20)),
                    message(MessageIds.REQUEST, ScriptedPeer.ints(0, 0, Integer.MAX_VALUE)),
                    message(MessageIds.REQUEST, ScriptedPeer.ints(0, 0, 0)),
                    message(MessageIds.REQUEST, ScriptedPeer.ints(pieces, 0, 16 * 1024)),
                    message(MessageIds.REQUEST, ScriptedPeer.ints(0, -16 * 1024, 16 * 1024)),
                    message(MessageIds.REQUEST, ScriptedPeer.ints(pieces - 1, lastLength - 100, 16 * 1024)),
                    message(MessageIds.REQUEST, ScriptedPeer.ints(0, AttackedSwarm.PIECE_LENGTH, 16 * 1024)));
            for (byte[] attack : attacks) {
                try (ScriptedPeer attacker = handshaken(swarm)) {
                    attacker.write(attack);
                    assertTrue(attacker.closedByEngine(PROMPTLY), "disconnected after " + hex(attack));
                    assertFalse(AttackedSwarm.lists(swarm.seeder, attacker.localPort()));
                }
            }
            swarm.assertHonestStillDownloading();
            swarm.assertHonestCompletesAndMemoryBounded("out-of-range HAVE and REQUEST");
        }
    }

    @Test
    void aFloodOfRequestsBeyondTheQueueFromAPeerThatNeverReadsIsDisconnected() throws Exception {
        try (AttackedSwarm swarm = new AttackedSwarm(dir)) {
            swarm.startHonestDownload();
            int pieces = swarm.metainfo.pieceCount();
            try (ScriptedPeer attacker = handshaken(swarm)) {
                attacker.send(MessageIds.INTERESTED);
                ByteArrayOutputStream batch = new ByteArrayOutputStream();
                for (int i = 0; i < 1000; i++) {
                    batch.writeBytes(ScriptedPeer.requestFrame(i % (pieces - 1), 0, 16 * 1024));
                }
                int sent = 0;
                try {
                    for (; sent < 200_000; sent += 1000) {
                        attacker.write(batch.toByteArray());
                    }
                } catch (IOException e) {
                    // the engine hung up mid-flood
                }
                System.out.printf("request flood: %d requests written before the engine hung up%n", sent);
                assertTrue(attacker.closedByEngine(PROMPTLY), "the flooding peer was disconnected");
            }
            swarm.assertHonestStillDownloading();
            swarm.assertHonestCompletesAndMemoryBounded("request flood");
        }
    }

    @Test
    void blocksNobodyAskedForAreDroppedAndTheirSenderDisconnected() throws Exception {
        try (AttackedSwarm swarm = new AttackedSwarm(dir)) {
            EngineFixture downloading = swarm.startHonestDownload();
            try (ScriptedPeer attacker = ScriptedPeer.connect(downloading.address())
                    .handshake(swarm.metainfo.infoHash(), ScriptedPeer.FAST)) {
                byte[] block = new byte[16 * 1024];
                java.util.Arrays.fill(block, (byte) 0x5A);
                byte[] piece = new byte[8 + block.length];
                System.arraycopy(block, 0, piece, 8, block.length);
                int sent = 0;
                try {
                    for (; sent < 1000; sent++) {
                        attacker.send(MessageIds.PIECE, piece); // piece 0, offset 0, never requested
                    }
                } catch (IOException e) {
                    // the engine hung up
                }
                System.out.printf("unrequested blocks: %d written before the engine hung up%n", sent);
                assertTrue(attacker.closedByEngine(PROMPTLY), "the sender of unrequested blocks was disconnected");
                assertFalse(AttackedSwarm.lists(downloading, attacker.localPort()));
            }
            swarm.assertHonestStillDownloading();
            swarm.assertHonestCompletesAndMemoryBounded("unrequested blocks"); // none of the 0x5A bytes landed
        }
    }

    @Test
    void aPeerWhosePiecesFailTheirHashIsBannedAndCannotReconnect() throws Exception {
        try (AttackedSwarm swarm = new AttackedSwarm(dir);
             CorruptingPeer liar = new CorruptingPeer(swarm.metainfo.infoHash(), swarm.metainfo.pieceCount())) {
            EngineFixture downloading = swarm.startHonestDownload(liar.address());
            InetAddress liarAddress = liar.address().getAddress();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!downloading.engine.isBanned(liarAddress) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(downloading.engine.isBanned(liarAddress), "the corrupting peer was banned");
            assertTrue(liar.closedByRemote.get() >= 1, "the engine hung up on the corrupting peer");
            try (ScriptedPeer again = ScriptedPeer.connectFrom(liarAddress, downloading.address())
                    .handshake(swarm.metainfo.infoHash(), ScriptedPeer.FAST)) {
                assertTrue(again.closedByEngine(PROMPTLY), "a banned address is refused when it connects again");
            }
            assertTrue(downloading.engine.peers("1").stream().noneMatch(p -> p.address().getAddress().equals(liarAddress)));
            System.out.printf("corrupt data: the liar served %d blocks before its ban%n", liar.blocksServed.get());
            swarm.assertHonestCompletesAndMemoryBounded("corrupt data");
        }
    }

    private static ScriptedPeer handshaken(AttackedSwarm swarm) throws IOException {
        return ScriptedPeer.connect(swarm.seeder.address()).handshake(swarm.metainfo.infoHash(), ScriptedPeer.FAST);
    }

    private static byte[] message(int id, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(ScriptedPeer.ints(1 + payload.length));
        frame.write(id);
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    /** Writes single bytes 20 ms apart until {@code count} are written or the engine has hung up. */
    private static void dribble(ScriptedPeer attacker, int count) throws InterruptedException {
        try {
            for (int i = 0; i < count; i++) {
                attacker.write(new byte[] {(byte) 0xFF});
                Thread.sleep(20);
            }
        } catch (IOException e) {
            // the engine closed the connection: what the test expects
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
