package io.graytorrent.dht.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Interim: a {@link DhtNode} on a UDP socket of its own, until the engine's shared socket on the
 * listen port exists (issue 16). One thread owns socket and node: it reads datagrams, ticks the
 * node every 250 ms and runs the tasks handed to {@link #execute}.
 */
public final class UdpDhtEndpoint implements AutoCloseable {
    private static final long TICK_MILLIS = 250;

    private final DatagramChannel channel;
    private final Selector selector;
    private final DhtNode node;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** Binds {@code bind} and builds the node with {@code nodeFactory}, given the socket's transport. */
    public UdpDhtEndpoint(InetSocketAddress bind, Function<DatagramTransport, DhtNode> nodeFactory) throws IOException {
        channel = DatagramChannel.open();
        try {
            channel.bind(bind);
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        node = nodeFactory.apply(this::send);
        thread = new Thread(this::loop, "graytorrent-dht");
        thread.setDaemon(true);
        thread.start();
    }

    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code task} on the node's thread; the node is not thread-safe. */
    public void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    public DhtNode nodeForTheOwningThread() {
        return node;
    }

    private void send(InetSocketAddress to, byte[] datagram) {
        try {
            channel.send(ByteBuffer.wrap(datagram), to); // a full send buffer drops it, as UDP may
        } catch (IOException e) {
            // unreachable or refused: the query times out like a lost datagram
        }
    }

    private void loop() {
        ByteBuffer buffer = ByteBuffer.allocate(KrpcCodec.MAX_DATAGRAM + 1);
        long nextTick = System.nanoTime();
        while (running) {
            try {
                selector.select(TICK_MILLIS);
                selector.selectedKeys().clear();
                SocketAddress from;
                while ((from = channel.receive(buffer.clear())) != null) {
                    node.receive((InetSocketAddress) from, Arrays.copyOf(buffer.array(), buffer.position()));
                }
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
                if (System.nanoTime() - nextTick >= 0) {
                    nextTick = System.nanoTime() + TICK_MILLIS * 1_000_000;
                    node.tick();
                }
            } catch (IOException | RuntimeException e) {
                if (running) { // a failing task or datagram must not stop the DHT
                    System.getLogger(UdpDhtEndpoint.class.getName()).log(System.Logger.Level.WARNING, "DHT socket", e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        selector.close();
        channel.close();
    }
}
