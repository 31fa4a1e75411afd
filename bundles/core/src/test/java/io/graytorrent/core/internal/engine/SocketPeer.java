package io.graytorrent.core.internal.engine;

import io.graytorrent.api.InfoHash;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted peer on plain sockets, listening on 127.0.0.2 by default (its own address, since bans
 * are per address): it answers each incoming handshake with its own and then runs {@link #converse} until
 * the engine hangs up, which {@link #closedByRemote} counts.
 */
abstract class SocketPeer implements AutoCloseable {
    final InfoHash infoHash;
    final AtomicInteger closedByRemote = new AtomicInteger();
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final byte[] reserved;
    private final String peerId;

    /** {@code reserved}: the handshake's 8 extension bytes; {@code peerId}: 20 ASCII characters. */
    SocketPeer(InfoHash infoHash, byte[] reserved, String peerId) throws IOException {
        this(infoHash, reserved, peerId, InetAddress.getByName("127.0.0.2"));
    }

    /** Listening on {@code listenOn} instead, e.g. 127.0.0.3 for a peer whose ban must not touch the others. */
    SocketPeer(InfoHash infoHash, byte[] reserved, String peerId, InetAddress listenOn) throws IOException {
        this.infoHash = infoHash;
        this.reserved = reserved.clone();
        this.peerId = peerId;
        this.server = new ServerSocket(0, 50, listenOn);
        Thread acceptor = new Thread(this::accept, getClass().getSimpleName());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** An extended message (BEP 10): the extension's id and the payload after it. */
    record Extended(int id, byte[] payload) {
    }

    /** Reads messages until the next extended one. */
    static Extended readExtended(DataInputStream in) throws IOException {
        while (true) {
            byte[] message = new byte[in.readInt()];
            in.readFully(message);
            if (message.length >= 2 && message[0] == 20) {
                return new Extended(message[1], Arrays.copyOfRange(message, 2, message.length));
            }
        }
    }

    static void writeExtended(DataOutputStream out, int id, byte[] payload) throws IOException {
        out.writeInt(2 + payload.length);
        out.writeByte(20);
        out.writeByte(id);
        out.write(payload);
        out.flush();
    }

    /** The exchange after the handshakes; returns or throws when the connection ends. */
    abstract void converse(DataInputStream in, DataOutputStream out) throws IOException;

    InetSocketAddress address() {
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
            in.readFully(new byte[68]);
            out.writeByte(19);
            out.write("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
            out.write(reserved);
            out.write(infoHash.toBytes());
            out.write(peerId.getBytes(StandardCharsets.US_ASCII));
            converse(in, out);
        } catch (IOException e) {
            closedByRemote.incrementAndGet(); // EOF or reset: the engine hung up
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
