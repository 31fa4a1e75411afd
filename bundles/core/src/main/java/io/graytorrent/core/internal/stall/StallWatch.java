package io.graytorrent.core.internal.stall;

import io.graytorrent.api.Stall;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one torrent's progress and, once it has made none for {@link #after}, diagnoses why (again
 * at every check, as the situation changes) until progress resumes. Confined to the torrent's executor.
 */
public final class StallWatch {
    private static final Logger LOG = LoggerFactory.getLogger(StallWatch.class);

    private final String torrent;
    private final LongSupplier clockMillis;
    /** Read at each check: the configured time may change while the torrent runs. */
    private final Supplier<Duration> after;
    private long mark;
    private long lastProgressMillis;
    private Optional<Stall> stall = Optional.empty();

    /**
     * @param torrent     names the torrent in the log
     * @param clockMillis wall-clock milliseconds (the diagnosis says since when)
     */
    public StallWatch(String torrent, LongSupplier clockMillis, Supplier<Duration> after) {
        this.torrent = torrent;
        this.clockMillis = clockMillis;
        this.after = after;
        restart();
    }

    /** The torrent starts running (again): its first check counts as progress. */
    public void restart() {
        mark = Long.MIN_VALUE;
        stall = Optional.empty();
    }

    /**
     * One look at the torrent: {@code progress} is any count that grows while it gets somewhere
     * (payload bytes received); {@code situation} is read only when a diagnosis is due.
     *
     * @return the diagnosis, or empty while it progresses
     */
    public Optional<Stall> check(long progress, Supplier<Situation> situation) {
        long now = clockMillis.getAsLong();
        if (progress != mark) {
            mark = progress;
            lastProgressMillis = now;
            stall = Optional.empty();
            return stall;
        }
        if (now - lastProgressMillis < after.get().toMillis()) {
            return stall;
        }
        StallDiagnosis.Finding finding = StallDiagnosis.diagnose(situation.get());
        if (stall.isEmpty() || stall.get().kind() != finding.kind()) {
            LOG.info("{}: no progress for {} s: {}", torrent, (now - lastProgressMillis) / 1000, finding.message());
        }
        stall = Optional.of(new Stall(finding.kind(), finding.message(), Instant.ofEpochMilli(lastProgressMillis)));
        return stall;
    }

    /** The last diagnosis, empty while the torrent progresses. */
    public Optional<Stall> stall() {
        return stall;
    }
}
