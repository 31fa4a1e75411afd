package io.graytorrent.udp.internal;

import io.graytorrent.udp.DatagramHandler;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One handler's bounded queue and the thread that delivers from it, so a slow handler loses its
 * own datagrams and holds up nobody else: the socket only ever offers (a copy), never waits.
 */
final class HandlerQueue implements HandlerDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerQueue.class);

    private record Delivery(InetSocketAddress sender, ByteBuffer datagram) {
    }

    private final DatagramHandler handler;
    private final BlockingQueue<Delivery> queue;
    private final Thread thread;
    private volatile boolean running = true;

    HandlerQueue(DatagramHandler handler, int capacity, String name) {
        this.handler = handler;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::deliver, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public DatagramHandler handler() {
        return handler;
    }

    /** Queues a copy the handler may keep; false when the queue is full (or closed) and it is lost. */
    @Override
    public boolean offer(InetSocketAddress sender, ByteBuffer view) {
        return running && queue.offer(new Delivery(sender, ByteBuffer.allocate(view.remaining()).put(view).flip()));
    }

    @Override
    public int queued() {
        return queue.size();
    }

    private void deliver() {
        while (running) {
            Delivery next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return; // closed
            }
            try {
                handler.onDatagram(next.sender(), next.datagram());
            } catch (RuntimeException e) {
                LOG.warn("datagram handler {} failed on a datagram from {}", handler, next.sender(), e);
            }
        }
    }

    /** Stops delivering (after the datagram being handled, if any) and drops what is queued. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        queue.clear();
    }
}
