package io.graytorrent.core.internal;

import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.storage.BlockRegions;
import io.graytorrent.storage.TorrentStorage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Serves peers' REQUESTs of one torrent: validates them, queues them per peer, and sends each block
 * straight from the file (a {@link PeerMessage.FileBlock}) when it lies in one file, or read into a
 * buffer when it spans files or padding. The storage's file handles of a sent block stay leased until
 * the connection reports the block written; that report also frees its room and sends the next block.
 * Owned by the torrent's executor.
 */
final class Uploads {
    /** Bytes per peer being read or not yet on the wire; more waits (the block sizes Netty cannot see). */
    private static final long MAX_IN_FLIGHT = 2L << 20;

    /** One peer's requests and the bytes of its blocks in flight. */
    static final class Queue {
        private final ArrayDeque<PeerMessage.Request> pending = new ArrayDeque<>();
        private long inFlight;
        private boolean retryScheduled;
        private int refusedInARow;
    }

    private final Metainfo metainfo;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final RateLimits limits;
    /** Requests we accept queued from one peer: the {@code reqq} the peer wire announces. */
    private final int maxQueued;
    private long uploaded;

    Uploads(Metainfo metainfo, Executor executor, ScheduledExecutorService timer, RateLimits limits, int maxQueued) {
        this.metainfo = metainfo;
        this.executor = executor;
        this.timer = timer;
        this.limits = limits;
        this.maxQueued = maxQueued;
    }

    /** Payload bytes handed to connections. */
    long uploaded() {
        return uploaded;
    }

    void onRequest(Peer peer, PeerMessage.Request request, BitSet have, TorrentStorage storage) {
        int piece = request.piece();
        if (piece >= metainfo.pieceCount() || request.length() < 1 || request.length() > PeerMessage.MAX_BLOCK_LENGTH
                || (long) request.offset() + request.length() > metainfo.pieceLength(piece)) {
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

    /** Starts as many queued blocks as the in-flight bound and the upload rate allow. */
    void pump(Peer peer, TorrentStorage storage) {
        Queue queue = peer.uploads;
        while (!queue.pending.isEmpty() && queue.inFlight < MAX_IN_FLIGHT && peer.connection.isOpen()) {
            PeerMessage.Request request = queue.pending.peek();
            long wait = limits.nanosUntilAvailable(request.length());
            if (wait > 0) {
                retryLater(peer, storage, TimeUnit.NANOSECONDS.toMillis(wait) + 1);
                return;
            }
            limits.take(request.length());
            queue.pending.poll();
            queue.inFlight += request.length();
            storage.regions(request.piece(), request.offset(), request.length()).whenComplete((regions, failure) ->
                    executor.execute(() -> send(peer, request, regions, failure, storage)));
        }
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

    private void send(Peer peer, PeerMessage.Request request, BlockRegions regions, Throwable failure,
            TorrentStorage storage) {
        Queue queue = peer.uploads;
        if (failure != null || !peer.connection.isOpen()) {
            queue.inFlight -= request.length();
            if (regions != null) {
                regions.close();
            }
            return;
        }
        if (regions.regions().size() == 1 && !regions.regions().get(0).isZeros()) {
            BlockRegions.Region region = regions.regions().get(0);
            uploaded += request.length();
            peer.connection.send(new PeerMessage.FileBlock(request.piece(), request.offset(), region.channel(),
                    region.position(), request.length()), () -> sent(peer, request.length(), regions, storage));
            return;
        }
        regions.close();
        ByteBuf buffer = ByteBufAllocator.DEFAULT.ioBuffer(request.length());
        storage.readBlock(request.piece(), request.offset(), buffer.nioBuffer(0, request.length()))
                .whenComplete((done, readFailure) -> executor.execute(() -> {
                    if (readFailure != null || !peer.connection.isOpen()) {
                        buffer.release();
                        queue.inFlight -= request.length();
                        return;
                    }
                    buffer.writerIndex(request.length());
                    uploaded += request.length();
                    peer.connection.send(new PeerMessage.Piece(request.piece(), request.offset(), buffer),
                            () -> sent(peer, request.length(), null, storage));
                }));
    }

    /**
     * On the event loop: a block is written (or its connection failed, which fails every block still
     * queued, so this runs once for every block handed over). Releases its file lease and sends more.
     */
    private void sent(Peer peer, int length, BlockRegions regions, TorrentStorage storage) {
        if (regions != null) {
            regions.close(); // here, not on the executor: a stopped torrent's executor may run nothing more
        }
        executor.execute(() -> {
            peer.uploads.inFlight -= length;
            pump(peer, storage);
        });
    }

    /** The peer is gone: its queue is dropped (blocks in flight release their leases as the connection fails them). */
    void peerGone(Peer peer) {
        peer.uploads.pending.clear();
    }
}
