package io.graytorrent.core.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a home router does for a client behind it that dials its own public address: a listener on
 * the "public" address whose connections are forwarded to the same port on the "private" one, where
 * the engine listens. Counts the connections it forwards.
 */
final class Hairpin implements AutoCloseable {
    final AtomicInteger forwarded = new AtomicInteger();
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final InetSocketAddress target;

    /** Listens on {@code publicAddress} at a free port, forwarding to that port on {@code privateAddress}. */
    Hairpin(InetAddress publicAddress, InetAddress privateAddress) throws IOException {
        server = new ServerSocket(0, 50, publicAddress);
        target = new InetSocketAddress(privateAddress, server.getLocalPort());
        Thread acceptor = new Thread(this::accept, "hairpin");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket inside = server.accept();
                sockets.add(inside);
                forwarded.incrementAndGet();
                Socket outside = new Socket(target.getAddress(), target.getPort());
                sockets.add(outside);
                pump(inside, outside);
                pump(outside, inside);
            } catch (IOException e) {
                // closed, or the target refused: the dialler sees its connection end
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread copier = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // either side closed
            } finally {
                close(from);
                close(to);
            }
        }, "hairpin-pump");
        copier.setDaemon(true);
        copier.start();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(Hairpin::close);
    }
}
