package io.graytorrent.core.internal.peer;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Addresses that sent data failing the hash check: after {@code threshold} failures an address is
 * banned until the engine restarts (bans live in memory only). Failure counters are kept for the
 * {@code maxTracked} most recently blamed addresses, so a swarm of liars cannot grow memory
 * without also earning bans, each of which costs them {@code threshold} bad pieces.
 *
 * <p>Thread-safe: shared by every torrent of the engine.
 */
public final class BanList {

    public static final int DEFAULT_THRESHOLD = 3;
    public static final int DEFAULT_MAX_TRACKED = 4096;

    private int threshold;
    private final Map<InetAddress, Integer> failures;
    private final Set<InetAddress> banned = new HashSet<>();

    public BanList() {
        this(DEFAULT_THRESHOLD, DEFAULT_MAX_TRACKED);
    }

    public BanList(int threshold, int maxTracked) {
        if (threshold < 1 || maxTracked < 1) {
            throw new IllegalArgumentException("threshold and maxTracked must be positive: " + threshold + ", " + maxTracked);
        }
        this.threshold = threshold;
        this.failures = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Integer> eldest) {
                return size() > maxTracked;
            }
        };
    }

    /** Counts one failed piece against the address; true when this failure bans it. */
    public synchronized boolean recordFailure(InetAddress address) {
        Objects.requireNonNull(address, "address");
        if (banned.contains(address)) {
            return false;
        }
        int count = failures.merge(address, 1, Integer::sum);
        if (count < threshold) {
            return false;
        }
        failures.remove(address);
        banned.add(address);
        return true;
    }

    /** A new threshold for failures from now on; addresses already past it are banned at their next failure. */
    public synchronized void setThreshold(int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be positive: " + threshold);
        }
        this.threshold = threshold;
    }

    public synchronized boolean isBanned(InetAddress address) {
        return banned.contains(address);
    }

    public synchronized int bannedCount() {
        return banned.size();
    }
}
