package io.graytorrent.core.internal.choke;

import io.graytorrent.core.internal.pick.BlockRequest;

/**
 * How many requests to keep in flight to a peer: enough to cover three seconds (rounded up) of its
 * measured rate, so the pipe never runs dry between a block and the next request.
 *
 * <p>Floor {@value #MIN_DEPTH}: a peer we have not measured yet (rate 0) still gets a small
 * pipeline to show what it can do. Ceiling: what the peer announced as {@code reqq} in its
 * extension handshake (it drops requests beyond that), {@value #DEFAULT_PEER_REQQ} when it did
 * not say (libtorrent's default), and never above {@value #MAX_DEPTH} (8 MiB in flight) to bound
 * our own memory. When the peer's reqq is below the floor, its reqq wins.
 */
public final class RequestQueueSizer {

    static final int MIN_DEPTH = 4;
    static final int MAX_DEPTH = 500;
    static final int DEFAULT_PEER_REQQ = 250;
    static final int SECONDS_IN_FLIGHT = 3;

    private RequestQueueSizer() {
    }

    /**
     * @param receiveRateBytesPerSecond the peer's recent download rate to us
     * @param peerReqq the peer's announced request queue limit, 0 when unknown
     */
    public static int depth(long receiveRateBytesPerSecond, int peerReqq) {
        if (receiveRateBytesPerSecond < 0 || peerReqq < 0) {
            throw new IllegalArgumentException("negative rate or reqq: " + receiveRateBytesPerSecond + ", " + peerReqq);
        }
        int ceiling = Math.min(peerReqq == 0 ? DEFAULT_PEER_REQQ : peerReqq, MAX_DEPTH);
        // rates beyond MAX_DEPTH blocks per second all hit the ceiling; capping avoids overflow
        long rate = Math.min(receiveRateBytesPerSecond, (long) MAX_DEPTH * BlockRequest.BLOCK_SIZE);
        long wanted = (rate * SECONDS_IN_FLIGHT + BlockRequest.BLOCK_SIZE - 1) / BlockRequest.BLOCK_SIZE;
        return (int) Math.min(ceiling, Math.max(MIN_DEPTH, wanted));
    }
}
