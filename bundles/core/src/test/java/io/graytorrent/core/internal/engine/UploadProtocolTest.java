package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.testkit.ScriptedPeer;
import io.graytorrent.testkit.Unit;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A hand-driven Fast-extension peer against a seeding engine: what it serves and what it refuses. */
@Timeout(60)
@Unit
class UploadProtocolTest {
    private static final int PIECE_LENGTH = 32 * 1024;

    @TempDir
    Path dir;

    @Test
    void servesRequestedBlocksFromTheFilesAndDropsAPeerAskingOutOfRange() throws Exception {
        byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "served", PIECE_LENGTH, 9, 50_000, 40_000);
        Metainfo metainfo = new MetainfoParser().parse(torrent);
        try (EngineFixture seeder = new EngineFixture(dir.resolve("state"))) {
            seeder.await(seeder.add(torrent, dir.resolve("seed")).id(), EngineFixture.seeding(), Duration.ofSeconds(30));
            try (ScriptedPeer peer = ScriptedPeer.connect(seeder.address())) {
                DataOutputStream out = peer.out();
                DataInputStream in = peer.in();
                peer.handshake(metainfo.infoHash().toBytes(), ScriptedPeer.FAST);
                assertEquals(0x0E, readUntil(in, 0x0E)[0], "a seed says HAVE_ALL to a Fast peer");

                send(out, new byte[] {2}); // interested
                readUntil(in, 1); // unchoke
                // file0 ends 17232 bytes into piece 1: the first block lies in one file, the second spans both
                for (int offset : new int[] {100, 17_000}) {
                    send(out, request(6, 1, offset, 5000));
                    byte[] piece = readUntil(in, 7);
                    int start = PIECE_LENGTH + offset;
                    assertArrayEquals(Arrays.copyOfRange(concatenatedData(), start, start + 5000),
                            Arrays.copyOfRange(piece, 9, piece.length), "block at offset " + offset);
                }
                // a burst of 16 consecutive blocks over pieces 0 and 1, arriving together: read in runs
                ByteArrayOutputStream burst = new ByteArrayOutputStream();
                for (int block = 0; block < 16; block++) {
                    byte[] request = request(6, block / 8, block % 8 * 4096, 4096);
                    burst.write(ByteBuffer.allocate(4).putInt(request.length).array());
                    burst.write(request);
                }
                out.write(burst.toByteArray());
                out.flush();
                Set<Integer> served = new HashSet<>();
                for (int block = 0; block < 16; block++) {
                    ByteBuffer piece = ByteBuffer.wrap(readUntil(in, 7));
                    int start = piece.getInt(1) * PIECE_LENGTH + piece.getInt(5);
                    assertArrayEquals(Arrays.copyOfRange(concatenatedData(), start, start + 4096),
                            Arrays.copyOfRange(piece.array(), 9, piece.array().length), "block at " + start);
                    served.add(start);
                }
                assertEquals(16, served.size(), "every block of the burst once");

                send(out, request(6, 2, PIECE_LENGTH - 10, 100)); // the last piece is 24 KiB: out of range
                assertThrows(EOFException.class, () -> readUntil(in, -1), "the engine hung up on a bad request");
            }
        }
    }

    /** The torrent's bytes in torrent order (file0, file1 in sorted path order). */
    private byte[] concatenatedData() throws IOException {
        byte[] first = Files.readAllBytes(dir.resolve("seed/served/file0.bin"));
        byte[] second = Files.readAllBytes(dir.resolve("seed/served/sub/file1.bin"));
        byte[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    private static byte[] request(int id, int piece, int offset, int length) {
        return ByteBuffer.allocate(13).put((byte) id).putInt(piece).putInt(offset).putInt(length).array();
    }

    private static void send(DataOutputStream out, byte[] message) throws IOException {
        out.writeInt(message.length);
        out.write(message);
        out.flush();
    }

    /** Reads messages until one with {@code id} arrives (keep-alives and others skipped). */
    private static byte[] readUntil(DataInputStream in, int id) throws IOException {
        while (true) {
            byte[] message = new byte[in.readInt()];
            in.readFully(message);
            if (message.length > 0 && message[0] == id) {
                return message;
            }
        }
    }
}
