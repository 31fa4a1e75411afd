package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A listener that queues what it hears, for a test thread to wait on. */
final class RecordingListener implements PeerListener {
    record Connected(PeerConnection peer) {
    }

    record Received(PeerConnection peer, PeerMessage message) {
    }

    record ExtensionHandshakeReceived(PeerConnection peer, ExtensionHandshake handshake) {
    }

    record Closed(PeerConnection peer, CloseReason reason) {
    }

    record WritabilityChanged(PeerConnection peer, boolean writable) {
    }

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    @Override
    public void onConnected(PeerConnection peer) {
        events.add(new Connected(peer));
    }

    @Override
    public void onMessage(PeerConnection peer, PeerMessage message) {
        events.add(new Received(peer, message));
    }

    @Override
    public void onExtensionHandshake(PeerConnection peer, ExtensionHandshake handshake) {
        events.add(new ExtensionHandshakeReceived(peer, handshake));
    }

    @Override
    public void onWritabilityChanged(PeerConnection peer, boolean writable) {
        events.add(new WritabilityChanged(peer, writable));
    }

    @Override
    public void onClosed(PeerConnection peer, CloseReason reason) {
        events.add(new Closed(peer, reason));
    }

    /** The next event of {@code type}, skipping others (releasing skipped blocks). */
    <T> T next(Class<T> type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event == null) {
                return fail("no " + type.getSimpleName() + " within " + timeout);
            }
            if (type.isInstance(event)) {
                return type.cast(event);
            }
            if (event instanceof Received r && r.message() instanceof PeerMessage.Piece piece) {
                piece.data().release();
            }
        }
    }

    /** The next received message of {@code type}, skipping other events. */
    <M extends PeerMessage> M nextMessage(Class<M> type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Received received = next(Received.class, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (type.isInstance(received.message())) {
                return type.cast(received.message());
            }
        }
    }
}
