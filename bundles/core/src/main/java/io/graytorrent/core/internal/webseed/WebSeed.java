package io.graytorrent.core.internal.webseed;

import io.graytorrent.api.WebSeedStatus;
import io.graytorrent.core.internal.pick.BlockRequest;
import io.graytorrent.core.internal.swarm.Swarm;
import io.graytorrent.metainfo.Metainfo;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One web seed of a running torrent, BEP 19 or BEP 17 as its {@link SeedLayout} says: a source with every piece (but the files it answered 404 or
 * 410 for) that takes runs of contiguous pieces, up to {@link WebSeedSettings#connections()} at a
 * time. Failures to connect, 5xx and bodies cut short back off (doubling, or as {@code Retry-After}
 * says); pieces that fail their hash and protocol violations are strikes, and after
 * {@link WebSeedSettings#maxStrikes()} the seed is dropped for the session. Owned by the torrent's
 * executor.
 */
final class WebSeed implements Swarm.RangeSource, RangeFetch.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(WebSeed.class);
    private static final int RATE_SECONDS = 5;

    enum State { ACTIVE, BACKING_OFF, DROPPED }

    private final String url;
    private final SeedLayout files;
    private final Metainfo metainfo;
    private final WebSeeds owner;
    private final HttpConnections connections;
    private final Set<RangeFetch> fetches = new HashSet<>();
    /** Files the server does not hold (404/410). */
    private final BitSet missingFiles = new BitSet();
    private final AtomicLong received = new AtomicLong();
    private final long[] perSecond = new long[RATE_SECONDS];
    private long lastReceived;
    private int second;
    private State state = State.ACTIVE;
    private long retryAtNanos;
    private int failuresInRow;
    private int strikes;
    private String lastError;

    WebSeed(String url, SeedLayout files, Metainfo metainfo, WebSeeds owner, HttpConnections connections) {
        this.url = url;
        this.files = files;
        this.metainfo = metainfo;
        this.owner = owner;
        this.connections = connections;
    }

    /** Joins the swarm with every piece. */
    void join() {
        owner.swarm().addSource(this, null);
    }

    /** Starts runs while connections are free, unless backing off or dropped. */
    void fill() {
        if (state != State.ACTIVE) {
            return;
        }
        int maxPieces = (int) Math.max(1, owner.settings().runBytes() / metainfo.pieceLength());
        while (fetches.size() < owner.settings().connections()) {
            List<BlockRequest> picked = owner.swarm().pickRun(this, maxPieces);
            if (picked.isEmpty()) {
                return;
            }
            for (List<BlockRequest> run : contiguousRuns(picked)) {
                BlockRequest first = run.get(0);
                RangeFetch fetch = owner.newFetch(connections, files, run, (long) first.piece() * metainfo.pieceLength() + first.offset(),
                        bytes -> received.addAndGet(bytes), this);
                fetches.add(fetch);
                fetch.start();
            }
        }
    }

    /** Splits picked blocks into runs contiguous in the torrent's bytes. */
    private List<List<BlockRequest>> contiguousRuns(List<BlockRequest> picked) {
        List<BlockRequest> sorted = new ArrayList<>(picked);
        sorted.sort((a, b) -> Long.compare(offsetOf(a), offsetOf(b)));
        List<List<BlockRequest>> runs = new ArrayList<>();
        List<BlockRequest> run = new ArrayList<>();
        for (BlockRequest block : sorted) {
            if (!run.isEmpty()) {
                BlockRequest last = run.get(run.size() - 1);
                if (offsetOf(last) + last.length() != offsetOf(block)) {
                    runs.add(run);
                    run = new ArrayList<>();
                }
            }
            run.add(block);
        }
        runs.add(run);
        return runs;
    }

    private long offsetOf(BlockRequest block) {
        return (long) block.piece() * metainfo.pieceLength() + block.offset();
    }

    /** Every second: the rate, stalled runs, the end of a back-off. */
    void tick(long nowNanos) {
        long total = received.get();
        perSecond[second++ % RATE_SECONDS] = total - lastReceived;
        lastReceived = total;
        List.copyOf(fetches).forEach(fetch -> fetch.checkProgress(nowNanos));
        if (state == State.BACKING_OFF && nowNanos - retryAtNanos >= 0) {
            state = State.ACTIVE;
            owner.swarm().sourceReady(this);
        }
        fill();
    }

    @Override
    public void blocks(RangeFetch fetch, List<BlockRequest> blocks, ByteBuf data) {
        owner.swarm().sourceBlocks(this, blocks, data);
    }

    @Override
    public void finished(RangeFetch fetch, FetchFailure failure, List<BlockRequest> undelivered) {
        fetches.remove(fetch);
        if (failure == null) {
            failuresInRow = 0;
            fill();
            return;
        }
        owner.swarm().sourceFailed(this, undelivered);
        lastError = failure.getMessage();
        switch (failure.kind) {
            case MISSING_FILE -> fileMissing(failure.file);
            case VIOLATION -> strike();
            case RETRY -> backOff(failure.retryAfter);
        }
        if (state == State.ACTIVE) {
            fill();
        }
    }

    private void fileMissing(int file) {
        if (missingFiles.get(file)) {
            return;
        }
        missingFiles.set(file);
        LOG.info("web seed {}: no {} ({}); its pieces come from other sources", url, files.describe(file), lastError);
        BitSet pieces = new BitSet();
        for (int piece = 0; piece < metainfo.pieceCount(); piece++) {
            if (files.filesOf(piece).stream().noneMatch(missingFiles::get)) {
                pieces.set(piece);
            }
        }
        owner.swarm().addSource(this, pieces); // forgets its requests: runs in flight deliver into nothing
        List.copyOf(fetches).forEach(RangeFetch::cancel);
        fetches.clear();
    }

    private void backOff(Optional<Duration> retryAfter) {
        failuresInRow++;
        Duration max = owner.settings().maxBackoff();
        Duration wait = retryAfter.orElseGet(() ->
                owner.settings().firstBackoff().multipliedBy(1L << Math.min(20, failuresInRow - 1)));
        if (wait.compareTo(max) > 0) {
            wait = max;
        }
        if (state == State.ACTIVE) {
            state = State.BACKING_OFF;
            retryAtNanos = System.nanoTime() + wait.toNanos();
            LOG.debug("web seed {}: {}; retrying in {} s", url, lastError, wait.toSeconds());
        }
    }

    /** A piece with data from this seed alone failed its hash check. */
    @Override
    public void badPiece(int piece) {
        lastError = "piece " + piece + " failed its hash check";
        strike();
    }

    private void strike() {
        if (++strikes >= owner.settings().maxStrikes() && state != State.DROPPED) {
            LOG.warn("web seed {} dropped for this session after {} failures; last: {}", url, strikes, lastError);
            close();
            state = State.DROPPED;
        }
    }

    /** Leaves the swarm; runs in flight are abandoned, connections closed. */
    void close() {
        fetches.forEach(RangeFetch::cancel);
        fetches.clear();
        connections.close();
        owner.swarm().removeSource(this);
    }

    WebSeedStatus status() {
        long rate = 0;
        for (long bytes : perSecond) {
            rate += bytes;
        }
        String label = switch (state) {
            case DROPPED -> "dropped";
            case BACKING_OFF -> "backing off";
            case ACTIVE -> fetches.isEmpty() ? "idle" : "downloading";
        };
        return new WebSeedStatus(url, label, rate / RATE_SECONDS, received.get(), Optional.ofNullable(lastError),
                files instanceof HttpSeedPieces ? WebSeedStatus.HTTP_SEED : WebSeedStatus.URL_LIST);
    }

    @Override
    public String toString() {
        return url;
    }
}
