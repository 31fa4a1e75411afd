package io.graytorrent.core.internal.swarm;

import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.storage.TorrentStorage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves peers' REQUESTs of one torrent: validates them, queues them per peer, and reads runs of
 * consecutive requested blocks of a piece with one positional read each into a pooled direct
 * buffer on a disk thread, which hands the blocks straight to the connection (its send is
 * thread-safe): a block's header and payload then leave together, and a burst of blocks in one
 * gathering write. A block's bytes count as in flight from the read until the connection reports
 * its run written; room is given back without a hop per block, and the queue is pumped again once
 * half the window is free. Queues are owned by the torrent's executor.
 *
 * <p>A v2-only torrent's last piece may be asked for up to the whole piece length: libtorrent 2.0.8
 * and later pad a v2 torrent's last file to a piece boundary (its size is pieces × piece length) and
 * ask for the last data block in full. Bytes past our data are sent as the zeros of that padding,
 * never read from disk; a request past the piece length is still out of range.
 */
public final class Uploads {
    /** Bytes per peer being read or not yet on the wire; more requests wait in its queue. */
    private static final long MAX_IN_FLIGHT = 2L << 20;
    /** Pumping again once this much is in flight or less: one executor hop per half window. */
    private static final long REFILL_BELOW = MAX_IN_FLIGHT / 2;
    /** The largest run of blocks read with one call: 16 blocks of 16 KiB. */
    private static final int MAX_RUN = 256 << 10;

    /** One peer's requests and the bytes of its blocks in flight. */
    static final class Queue {
        private final ArrayDeque<PeerMessage.Request> pending = new ArrayDeque<>();
        /** Changed on the executor (reads started) and the event loop (runs written). */
        private final AtomicLong inFlight = new AtomicLong();
        private boolean retryScheduled;
        private int refusedInARow;
    }

    private final Metainfo metainfo;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final RateLimits limits;
    /** Requests we accept queued from one peer: the {@code reqq} the peer wire announces. */
    private final int maxQueued;
    private final AtomicLong uploaded = new AtomicLong();

    public Uploads(Metainfo metainfo, Executor executor, ScheduledExecutorService timer, RateLimits limits, int maxQueued) {
        this.metainfo = metainfo;
        this.executor = executor;
        this.timer = timer;
        this.limits = limits;
        this.maxQueued = maxQueued;
    }

    /** Payload bytes handed to connections. */
    public long uploaded() {
        return uploaded.get();
    }

    void onRequest(Peer peer, PeerMessage.Request request, BitSet have, TorrentStorage storage) {
        int piece = request.piece();
        if (piece >= metainfo.pieceCount() || request.length() < 1 || request.length() > PeerMessage.MAX_BLOCK_LENGTH
                || (long) request.offset() + request.length() > requestable(piece)) {
            peer.connection.close(CloseReason.misbehaviour("request out of range: " + request));
            return;
        }
        boolean allowed = !peer.amChoking || peer.allowedFastToPeer.contains(piece);
        if (!have.get(piece) || !allowed || peer.uploads.pending.size() >= maxQueued) {
            // an honest peer has at most our reqq outstanding when we choke it or fill up; more refusals
            // in a row mean it ignores us, and each REJECT would wait in memory if it also stops reading
            if (++peer.uploads.refusedInARow > maxQueued) {
                peer.connection.close(CloseReason.misbehaviour("more than " + maxQueued
                        + " requests refused in a row: it ignores our choke, bitfield or request queue limit"));
                return;
            }
            reject(peer, request); // without the Fast extension a refused request is silently dropped
            return;
        }
        peer.uploads.refusedInARow = 0;
        peer.uploads.pending.add(request);
        pump(peer, storage);
    }

    /** The bytes of piece {@code piece} a peer may ask for: its length, or a whole piece for a v2-only torrent's last. */
    private int requestable(int piece) {
        return metainfo.isV2Only() && piece == metainfo.pieceCount() - 1 ? metainfo.pieceLength() : metainfo.pieceLength(piece);
    }

    void onCancel(Peer peer, PeerMessage.Cancel cancel) {
        PeerMessage.Request request = new PeerMessage.Request(cancel.piece(), cancel.offset(), cancel.length());
        if (peer.uploads.pending.remove(request)) {
            reject(peer, request); // BEP 6: a cancelled request is answered by the block or a reject
        }
    }

    /** We choked the peer: requests other than allowed-fast ones are void (rejected under BEP 6). */
    void onChoked(Peer peer) {
        peer.uploads.pending.removeIf(request -> {
            boolean drop = !peer.allowedFastToPeer.contains(request.piece());
            if (drop) {
                reject(peer, request);
            }
            return drop;
        });
    }

    private static void reject(Peer peer, PeerMessage.Request request) {
        if (peer.fast()) {
            peer.connection.send(new PeerMessage.RejectRequest(request.piece(), request.offset(), request.length()));
        }
    }

    /** Starts reading as many queued blocks as the in-flight bound and the upload rate allow. */
    void pump(Peer peer, TorrentStorage storage) {
        Queue queue = peer.uploads;
        while (!queue.pending.isEmpty() && peer.connection.isOpen()) {
            List<PeerMessage.Request> run = takeRun(queue);
            if (run.isEmpty()) {
                long wait = limits.nanosUntilAvailable(queue.pending.peek().length());
                if (wait > 0) {
                    retryLater(peer, storage, TimeUnit.NANOSECONDS.toMillis(wait) + 1);
                }
                return;
            }
            read(peer, run, storage);
        }
    }

    /**
     * Takes the longest run of queued requests that follow each other in one piece and fit the
     * window, the run size and the upload rate; empty when the first does not fit.
     */
    private List<PeerMessage.Request> takeRun(Queue queue) {
        List<PeerMessage.Request> run = new ArrayList<>();
        long room = Math.min(MAX_RUN, MAX_IN_FLIGHT - queue.inFlight.get());
        long bytes = 0;
        PeerMessage.Request last = null;
        for (PeerMessage.Request next = queue.pending.peek(); next != null; next = queue.pending.peek()) {
            boolean follows = last == null
                    || (next.piece() == last.piece() && next.offset() == last.offset() + last.length());
            if (!follows || bytes + next.length() > room || limits.nanosUntilAvailable(next.length()) > 0) {
                break;
            }
            limits.take(next.length());
            queue.pending.poll();
            run.add(next);
            bytes += next.length();
            last = next;
        }
        queue.inFlight.addAndGet(bytes);
        return run;
    }

    private void retryLater(Peer peer, TorrentStorage storage, long millis) {
        if (!peer.uploads.retryScheduled) {
            peer.uploads.retryScheduled = true;
            timer.schedule(() -> executor.execute(() -> {
                peer.uploads.retryScheduled = false;
                pump(peer, storage);
            }), millis, TimeUnit.MILLISECONDS);
        }
    }

    private void read(Peer peer, List<PeerMessage.Request> run, TorrentStorage storage) {
        PeerMessage.Request first = run.get(0);
        int bytes = run.stream().mapToInt(PeerMessage.Request::length).sum();
        ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(bytes);
        // only the tail padding of a v2-only torrent's last piece lies past the data: zeros, not read
        int onDisk = (int) Math.max(0, Math.min(bytes, (long) metainfo.pieceLength(first.piece()) - first.offset()));
        buffer.setZero(onDisk, bytes - onDisk);
        CompletableFuture<Void> reading = onDisk == 0 ? CompletableFuture.completedFuture(null)
                : storage.readBlock(first.piece(), first.offset(), buffer.nioBuffer(0, onDisk));
        reading.whenComplete((done, failure) -> {
            if (failure != null || !peer.connection.isOpen()) {
                buffer.release();
                written(peer, bytes, storage);
            } else {
                buffer.writerIndex(bytes);
                send(peer, run, buffer, storage);
            }
        });
    }

    /** On the disk thread: hands the run's blocks to the connection, the last one reporting the run written. */
    private void send(Peer peer, List<PeerMessage.Request> run, ByteBuf buffer, TorrentStorage storage) {
        int bytes = buffer.readableBytes();
        uploaded.addAndGet(bytes);
        int at = 0;
        for (int i = 0; i < run.size(); i++) {
            PeerMessage.Request request = run.get(i);
            ByteBuf block = buffer.retainedSlice(at, request.length());
            at += request.length();
            Runnable whenDone = i == run.size() - 1 ? () -> written(peer, bytes, storage) : null;
            peer.connection.send(new PeerMessage.Piece(request.piece(), request.offset(), block), whenDone);
        }
        buffer.release();
    }

    /**
     * A run is written, or its connection failed (which fails every block still queued, so this runs
     * once for every run). Gives its room back, and pumps when that crosses below half the window.
     */
    private void written(Peer peer, int bytes, TorrentStorage storage) {
        long left = peer.uploads.inFlight.addAndGet(-bytes);
        if (left <= REFILL_BELOW && left + bytes > REFILL_BELOW) {
            executor.execute(() -> pump(peer, storage));
        }
    }

    /** The peer is gone: its queue is dropped (blocks in flight are released as the connection fails them). */
    void peerGone(Peer peer) {
        peer.uploads.pending.clear();
    }
}
