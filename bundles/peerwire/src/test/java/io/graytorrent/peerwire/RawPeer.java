package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.api.InfoHash;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

/** A hand-driven peer on a plain socket, for feeding a real listener exact bytes. */
final class RawPeer implements AutoCloseable {
    private final Socket socket = new Socket();
    private final DataInputStream in;

    RawPeer(InetSocketAddress target) throws IOException {
        socket.connect(target, 2000);
        socket.setSoTimeout(5000);
        in = new DataInputStream(socket.getInputStream());
    }

    static byte[] handshake(Capabilities capabilities, InfoHash infoHash, PeerId peerId) {
        byte[] bytes = new byte[Handshake.LENGTH];
        bytes[0] = 19;
        System.arraycopy(Handshake.PROTOCOL.getBytes(StandardCharsets.US_ASCII), 0, bytes, 1, 19);
        System.arraycopy(capabilities.toReserved(), 0, bytes, 20, 8);
        System.arraycopy(infoHash.toBytes(), 0, bytes, 28, 20);
        System.arraycopy(peerId.toBytes(), 0, bytes, 48, 20);
        return bytes;
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    void sendHex(String hex) throws IOException {
        send(HexFormat.of().parseHex(hex));
    }

    /** Reads the 68-byte handshake and returns its infohash. */
    InfoHash readHandshake() throws IOException {
        byte[] bytes = new byte[Handshake.LENGTH];
        in.readFully(bytes);
        assertEquals(19, bytes[0]);
        byte[] infoHash = new byte[20];
        System.arraycopy(bytes, 28, infoHash, 0, 20);
        return InfoHash.of(infoHash);
    }

    /** Reads and discards until the other side closes; fails if it does not within {@code timeout}. */
    Duration awaitClosed(Duration timeout) throws IOException {
        long start = System.nanoTime();
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            while (in.read() >= 0) {
                // discard
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open after " + timeout);
        } catch (IOException reset) {
            // a reset is a close too
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
