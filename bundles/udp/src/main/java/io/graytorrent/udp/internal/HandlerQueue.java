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
 * own datagrams and holds up nobody else: the socket only ever offers, never waits.
 */
final class HandlerQueue {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerQueue.class);

    private record Delivery(InetSocketAddress sender, ByteBuffer datagram) {
    }

    final DatagramHandler handler;
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

    /** Queues a datagram the handler may keep; false when the queue is full (or closed) and it is lost. */
    boolean offer(InetSocketAddress sender, ByteBuffer datagram) {
        return running && queue.offer(new Delivery(sender, datagram));
    }

    /** Datagrams waiting, not counting one being handled. */
    int queued() {
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
    void close() {
        running = false;
        thread.interrupt();
        queue.clear();
    }
}
