package io.graytorrent.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A BitTorrent peer scripted by a test on a plain socket, writing raw bytes: whatever a hostile or
 * odd client might send, including what our own codecs would never produce. It dials ({@link
 * #connect}), or {@link Listening} accepts connections and runs a script on each.
 */
public final class ScriptedPeer implements AutoCloseable {
    private static final byte[] PROTOCOL = "\u0013BitTorrent protocol".getBytes(StandardCharsets.US_ASCII);
    public static final int HANDSHAKE_LENGTH = 68;
    /** Reserved bits announcing nothing. */
    public static final byte[] NO_EXTENSIONS = new byte[8];
    /** Reserved bits announcing the Fast extension (BEP 6) only. */
    public static final byte[] FAST = {0, 0, 0, 0, 0, 0, 0, 0x04};
    /** The message id of BEP 10's extended messages. */
    public static final int EXTENDED = 20;
    private static final int PIECE = 7;
    /** The block size every client requests. */
    public static final int BLOCK = 16 * 1024;
    /** Distinct peer ids: an engine refuses a second connection from a peer id it already has. */
    private static final AtomicLong PEER_IDS = new AtomicLong();

    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;

    private ScriptedPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.out = new DataOutputStream(socket.getOutputStream());
        this.in = new DataInputStream(socket.getInputStream());
    }

    public static ScriptedPeer connect(InetSocketAddress target) throws IOException {
        Socket socket = new Socket();
        socket.connect(target, 5_000);
        return new ScriptedPeer(socket);
    }

    /** Connects from {@code from}, e.g. 127.0.0.2, to appear as a different address than 127.0.0.1. */
    public static ScriptedPeer connectFrom(InetAddress from, InetSocketAddress target) throws IOException {
        return new ScriptedPeer(new Socket(target.getAddress(), target.getPort(), from, 0));
    }

    /** A fresh peer id, {@code -XX0001-} and twelve digits. */
    public static byte[] newPeerId() {
        return String.format("-XX0001-%012d", PEER_IDS.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
    }

    /** The 68 bytes of a handshake: protocol, reserved bits, the 20-byte infohash and peer id. */
    public static byte[] handshakeBytes(byte[] infoHash, byte[] reserved, byte[] peerId) {
        return ByteBuffer.allocate(HANDSHAKE_LENGTH).put(PROTOCOL).put(reserved).put(infoHash).put(peerId).array();
    }

    /** A handshake with a peer id of its own. */
    public static byte[] handshakeBytes(byte[] infoHash, byte[] reserved) {
        return handshakeBytes(infoHash, reserved, newPeerId());
    }

    /** Sends our handshake and reads the other side's; fails if it hangs up instead. */
    public ScriptedPeer handshake(byte[] infoHash, byte[] reserved) throws IOException {
        write(handshakeBytes(infoHash, reserved));
        readHandshake();
        return this;
    }

    /** Reads a 68-byte handshake and returns its infohash; fails unless it names the BitTorrent protocol. */
    public byte[] readHandshake() throws IOException {
        byte[] handshake = new byte[HANDSHAKE_LENGTH];
        in.readFully(handshake);
        if (!Arrays.equals(PROTOCOL, Arrays.copyOf(handshake, PROTOCOL.length))) {
            throw new AssertionError("not a BitTorrent handshake: " + HexFormat.of().formatHex(handshake));
        }
        return Arrays.copyOfRange(handshake, 28, 48);
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void writeHex(String hex) throws IOException {
        write(HexFormat.of().parseHex(hex));
    }

    /** Writes one length-prefixed message: the id, then the payload. */
    public void send(int id, byte... payload) throws IOException {
        writeMessage(out, id, payload);
    }

    /** The next message, its id first, skipping keep-alives; an EOFException when the other side hangs up. */
    public byte[] readMessage() throws IOException {
        while (true) {
            byte[] message = new byte[in.readInt()];
            in.readFully(message);
            if (message.length > 0) {
                return message;
            }
        }
    }

    /** The next message with this id, dropping the others. */
    public byte[] readUntil(int id) throws IOException {
        while (true) {
            byte[] message = readMessage();
            if (message[0] == id) {
                return message;
            }
        }
    }

    /**
     * Requests every block of {@code piece} (of {@code length} bytes) at once and returns the piece
     * as its blocks arrive, in any order; fails if a block of another piece comes.
     */
    public byte[] downloadPiece(int piece, int length) throws IOException {
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        for (int offset = 0; offset < length; offset += BLOCK) {
            requests.writeBytes(requestFrame(piece, offset, Math.min(BLOCK, length - offset)));
        }
        write(requests.toByteArray());
        byte[] data = new byte[length];
        for (int received = 0; received < length; ) {
            ByteBuffer block = ByteBuffer.wrap(readUntil(PIECE));
            block.get();
            if (block.getInt() != piece) {
                throw new AssertionError("a block of another piece than " + piece);
            }
            int offset = block.getInt();
            received += block.remaining();
            block.get(data, offset, block.remaining());
        }
        return data;
    }

    /** Writes a BITFIELD with all {@code pieceCount} pieces and an UNCHOKE: a seed's opening (not flushed). */
    public static void writeSeedOpening(DataOutputStream out, int pieceCount) throws IOException {
        byte[] bits = new byte[(pieceCount + 7) / 8];
        for (int piece = 0; piece < pieceCount; piece++) {
            bits[piece >>> 3] |= (byte) (0x80 >>> (piece & 7));
        }
        out.writeInt(1 + bits.length);
        out.writeByte(5);
        out.write(bits);
        out.writeInt(1);
        out.writeByte(1); // unchoke
    }

    /** The big-endian bytes of {@code values}, as message payloads carry integers. */
    public static byte[] ints(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length);
        for (int value : values) {
            buffer.putInt(value);
        }
        return buffer.array();
    }

    /** A REQUEST frame with its length prefix, for writing many at once. */
    public static byte[] requestFrame(int piece, int offset, int length) {
        return ByteBuffer.allocate(17).putInt(13).put((byte) 6).putInt(piece).putInt(offset).putInt(length).array();
    }

    /** An extended message (BEP 10): the extension's id and the payload after it. */
    public record Extended(int id, byte[] payload) {
    }

    /** Reads messages until the next extended one. */
    public static Extended readExtended(DataInputStream in) throws IOException {
        while (true) {
            byte[] message = new byte[in.readInt()];
            in.readFully(message);
            if (message.length >= 2 && message[0] == EXTENDED) {
                return new Extended(message[1], Arrays.copyOfRange(message, 2, message.length));
            }
        }
    }

    public static void writeExtended(DataOutputStream out, int id, byte[] payload) throws IOException {
        byte[] body = new byte[1 + payload.length];
        body[0] = (byte) id;
        System.arraycopy(payload, 0, body, 1, payload.length);
        writeMessage(out, EXTENDED, body);
    }

    private static void writeMessage(DataOutputStream out, int id, byte[] payload) throws IOException {
        out.writeInt(1 + payload.length);
        out.writeByte(id);
        out.write(payload);
        out.flush();
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    /** The stream to read what the other side sends, message by message. */
    public DataInputStream in() {
        return in;
    }

    /** The stream to write to by hand; flush after each step the other side should see. */
    public DataOutputStream out() {
        return out;
    }

    /**
     * Reads and drops whatever arrives until the other side closes the connection (true) or
     * {@code within} passes with the connection still open (false).
     */
    public boolean closedByRemote(Duration within) throws IOException {
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
            return true; // reset
        }
    }

    /** How long until the other side closed; fails if it does not within {@code limit}. */
    public Duration awaitClosed(Duration limit) throws IOException {
        long start = System.nanoTime();
        if (!closedByRemote(limit)) {
            throw new AssertionError("still open after " + limit);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * A scripted peer that listens (on 127.0.0.2 by default: its own address, since bans are per
     * address), answers each incoming handshake with its own and then runs {@link #converse} until
     * the other side hangs up, which {@link #closedByRemote} counts.
     */
    public abstract static class Listening implements AutoCloseable {
        public final AtomicInteger closedByRemote = new AtomicInteger();
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final byte[] handshake;

        /** {@code reserved}: the handshake's 8 extension bytes; {@code peerId}: 20 ASCII characters. */
        protected Listening(byte[] infoHash, byte[] reserved, String peerId) throws IOException {
            this(infoHash, reserved, peerId, InetAddress.getByName("127.0.0.2"));
        }

        /** Listening on {@code listenOn} instead, e.g. 127.0.0.3 for a peer whose ban must not touch the others. */
        protected Listening(byte[] infoHash, byte[] reserved, String peerId, InetAddress listenOn) throws IOException {
            this.handshake = handshakeBytes(infoHash, reserved, peerId.getBytes(StandardCharsets.US_ASCII));
            this.server = new ServerSocket(0, 50, listenOn);
            Thread acceptor = new Thread(this::accept, getClass().getSimpleName());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        /** The exchange after the handshakes; returns or throws when the connection ends. */
        protected abstract void converse(DataInputStream in, DataOutputStream out) throws IOException;

        public InetSocketAddress address() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    Thread serving = new Thread(() -> serve(socket), getClass().getSimpleName() + "-conn");
                    serving.setDaemon(true);
                    serving.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                socket.setSoTimeout(30_000);
                DataInputStream in = new DataInputStream(socket.getInputStream());
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                byte[] opening = new byte[HANDSHAKE_LENGTH];
                in.readFully(opening);
                if (!Arrays.equals(opening, 0, PROTOCOL.length, PROTOCOL, 0, PROTOCOL.length)) {
                    return; // an encrypted (MSE) opening: refused as a plaintext-only client does, not a hang-up
                }
                out.write(handshake);
                converse(in, out);
            } catch (IOException e) {
                closedByRemote.incrementAndGet(); // EOF or reset: the other side hung up
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
