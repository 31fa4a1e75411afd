package io.graytorrent.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener on 127.0.0.1 that reads the 68-byte BitTorrent handshake of each connection and
 * closes it without a word, as a peer requiring encryption does with a plaintext handshake.
 */
final class HangUpPeer implements AutoCloseable {
    private static final int HANDSHAKE_LENGTH = 68;

    private final ServerSocket server;
    private final Thread acceptor;
    private final AtomicInteger handshakesRead = new AtomicInteger();

    private HangUpPeer(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::acceptAndHangUp, "hang-up-peer");
    }

    static HangUpPeer start() throws IOException {
        HangUpPeer peer = new HangUpPeer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        peer.acceptor.setDaemon(true);
        peer.acceptor.start();
        return peer;
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    int handshakesRead() {
        return handshakesRead.get();
    }

    private void acceptAndHangUp() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
                if (in.readNBytes(HANDSHAKE_LENGTH).length == HANDSHAKE_LENGTH) {
                    handshakesRead.incrementAndGet();
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        acceptor.join(5_000);
    }
}
