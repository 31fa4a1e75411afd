package io.graytorrent.core.internal.engine;

import io.graytorrent.api.InfoHash;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A peer scripted by a test on a plain socket, writing raw bytes: whatever a hostile client might
 * send, including what our own codecs would never produce.
 */
final class ScriptedPeer implements AutoCloseable {
    private static final byte[] PROTOCOL = "\u0013BitTorrent protocol".getBytes(StandardCharsets.US_ASCII);
    /** Reserved bits announcing the Fast extension (BEP 6) only. */
    static final byte[] FAST = {0, 0, 0, 0, 0, 0, 0, 0x04};
    /** Distinct peer ids: the engine refuses a second connection from a peer id it already has. */
    private static final AtomicLong PEER_IDS = new AtomicLong();

    final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;

    private ScriptedPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.out = new DataOutputStream(socket.getOutputStream());
        this.in = new DataInputStream(socket.getInputStream());
    }

    static ScriptedPeer connect(InetSocketAddress target) throws IOException {
        return new ScriptedPeer(new Socket(target.getAddress(), target.getPort()));
    }

    /** Connects from {@code from}, e.g. 127.0.0.2, to appear as a different address than 127.0.0.1. */
    static ScriptedPeer connectFrom(InetAddress from, InetSocketAddress target) throws IOException {
        return new ScriptedPeer(new Socket(target.getAddress(), target.getPort(), from, 0));
    }

    /** The 68 bytes of a handshake for {@code infoHash} with the given reserved bits and a peer id of its own. */
    static byte[] handshakeBytes(InfoHash infoHash, byte[] reserved) {
        String peerId = String.format("-XX0001-%012d", PEER_IDS.incrementAndGet());
        return ByteBuffer.allocate(68).put(PROTOCOL).put(reserved).put(infoHash.toBytes())
                .put(peerId.getBytes(StandardCharsets.US_ASCII)).array();
    }

    /** Sends our handshake and reads the engine's; fails if the engine hangs up instead. */
    ScriptedPeer handshake(InfoHash infoHash, byte[] reserved) throws IOException {
        write(handshakeBytes(infoHash, reserved));
        socket.setSoTimeout(10_000);
        in.readFully(new byte[68]);
        return this;
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes one length-prefixed message: the id, then the payload. */
    void send(int id, byte... payload) throws IOException {
        out.writeInt(1 + payload.length);
        out.writeByte(id);
        out.write(payload);
        out.flush();
    }

    static byte[] ints(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length);
        for (int value : values) {
            buffer.putInt(value);
        }
        return buffer.array();
    }

    /** A REQUEST (or CANCEL, with id 8) frame with its length prefix, for writing many at once. */
    static byte[] requestFrame(int piece, int offset, int length) {
        return ByteBuffer.allocate(17).putInt(13).put((byte) 6).putInt(piece).putInt(offset).putInt(length).array();
    }

    int localPort() {
        return socket.getLocalPort();
    }

    /**
     * Reads and drops whatever arrives until the engine closes the connection (true) or
     * {@code within} passes with the connection still open (false).
     */
    boolean closedByEngine(Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        byte[] sink = new byte[64 * 1024];
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) left);
                if (in.read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset by the engine
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
