package io.graytorrent.peerwire.internal;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The transports that peer addresses lately did not answer, so the next dial of such a peer goes
 * straight to the next transport in the order, as libtorrent does (a peer that did not answer uTP
 * is dialled over TCP from then on): a TCP-only peer costs the uTP wait once, not at every
 * reconnect. Bounded ({@link #MAX} entries, the oldest forgotten first) and forgotten after
 * {@link #FORGET_NANOS}, so a peer that turns uTP on is tried over it again. Thread-safe.
 */
final class UnansweredTransports {
    static final int MAX = 4096;
    static final long FORGET_NANOS = TimeUnit.HOURS.toNanos(1);

    private record Key(InetSocketAddress address, String transport) {
    }

    private final LongSupplier nanoClock;
    private final Map<Key, Long> since = new LinkedHashMap<>();

    UnansweredTransports(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** {@code transport} got no answer from {@code address}. */
    synchronized void noAnswer(InetSocketAddress address, String transport) {
        Key key = new Key(address, transport);
        since.remove(key); // re-inserted last: the newest
        since.put(key, nanoClock.getAsLong());
        if (since.size() > MAX) {
            Iterator<Key> oldest = since.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** {@code transport} reached {@code address}. */
    synchronized void answered(InetSocketAddress address, String transport) {
        since.remove(new Key(address, transport));
    }

    /** Whether {@code transport} got no answer from {@code address} within {@link #FORGET_NANOS}. */
    synchronized boolean lately(InetSocketAddress address, String transport) {
        Key key = new Key(address, transport);
        Long at = since.get(key);
        if (at == null) {
            return false;
        }
        if (nanoClock.getAsLong() - at >= FORGET_NANOS) {
            since.remove(key);
            return false;
        }
        return true;
    }

    synchronized int size() {
        return since.size();
    }
}
