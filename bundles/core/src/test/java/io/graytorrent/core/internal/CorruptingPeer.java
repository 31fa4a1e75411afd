package io.graytorrent.core.internal;

import io.graytorrent.api.InfoHash;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A malicious peer on a plain socket, listening on 127.0.0.2 (its own address, since bans are per
 * address): it claims every piece, unchokes at once, answers every REQUEST with random bytes and
 * also sends a block nobody asked for.
 */
final class CorruptingPeer implements AutoCloseable {
    private final ServerSocket server;
    private final InfoHash infoHash;
    private final int pieceCount;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Random random = new Random(7);
    final AtomicInteger blocksServed = new AtomicInteger();
    final AtomicInteger closedByRemote = new AtomicInteger();

    CorruptingPeer(InfoHash infoHash, int pieceCount) throws IOException {
        this.infoHash = infoHash;
        this.pieceCount = pieceCount;
        this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2"));
        Thread acceptor = new Thread(this::accept, "corrupting-peer");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread serving = new Thread(() -> serve(socket), "corrupting-peer-conn");
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
            in.readFully(new byte[68]);
            out.writeByte(19);
            out.write("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[8]);
            out.write(infoHash.toBytes());
            out.write("-XX0001-badbadbadbad".getBytes(StandardCharsets.US_ASCII));
            byte[] bits = new byte[(pieceCount + 7) / 8];
            for (int piece = 0; piece < pieceCount; piece++) {
                bits[piece >>> 3] |= (byte) (0x80 >>> (piece & 7));
            }
            out.writeInt(1 + bits.length);
            out.writeByte(5);
            out.write(bits);
            out.writeInt(1);
            out.writeByte(1); // unchoke
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
        } catch (IOException e) {
            closedByRemote.incrementAndGet(); // EOF or reset: the engine hung up
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

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
