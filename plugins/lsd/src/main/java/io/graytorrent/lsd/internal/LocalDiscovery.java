package io.graytorrent.lsd.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.RunningTorrent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * LSD without sockets: the running public torrents, when to announce them ({@link AnnounceSchedule}),
 * and what an arriving datagram yields. A datagram is taken only within the inbound rate, from a
 * {@link LocalNetworks local} address, as a well-formed announce without our cookie; each of its
 * infohashes that we run hands the sender's address and announced port to that torrent, at most
 * once a {@code repeatMillis} for the same peer and torrent (an announce every second from a
 * hostile host must not make us dial it every second). Thread-safe; times in milliseconds of a
 * monotonic clock.
 */
final class LocalDiscovery {
    private static final int RECENT_BOUND = 1024;

    /** What was done with arriving datagrams, for the debug log and tests. */
    enum Verdict { USED, OURS, NOT_LOCAL, MALFORMED, OVER_RATE, UNKNOWN_TORRENT, REPEATED }

    /** A peer to hand to a torrent, outside the lock. */
    record Handoff(Consumer<InetSocketAddress> found, InetSocketAddress peer) {
        void run() {
            found.accept(peer);
        }
    }

    private record Recent(InfoHash infoHash, InetSocketAddress peer) {
    }

    private final String cookie;
    private final AnnounceSchedule schedule;
    private final long repeatMillis;
    private final double datagramsPerMilli;
    private final double burst;
    private final Map<InfoHash, Consumer<InetSocketAddress>> running = new HashMap<>();
    private final Map<Recent, Long> recent = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Recent, Long> eldest) {
            return size() > RECENT_BOUND;
        }
    };
    private final Map<Verdict, Long> verdicts = new HashMap<>();
    private double tokens;
    private long refilledAt = Long.MIN_VALUE;

    /**
     * @param cookie              ours, sent in every announce
     * @param datagramsPerSecond  the inbound rate taken (bursts of twice that), the rest dropped unread
     */
    LocalDiscovery(String cookie, AnnounceSchedule schedule, long repeatMillis, int datagramsPerSecond) {
        this.cookie = cookie;
        this.schedule = schedule;
        this.repeatMillis = repeatMillis;
        this.datagramsPerMilli = datagramsPerSecond / 1000.0;
        this.burst = 2.0 * datagramsPerSecond;
        this.tokens = burst;
    }

    String cookie() {
        return cookie;
    }

    /** A torrent runs (or changed); a private one is never announced nor given LSD peers (BEP 27). */
    synchronized void start(RunningTorrent torrent, Consumer<InetSocketAddress> found, long now) {
        if (torrent.privateTorrent() || torrent.listenPort() == 0) {
            return;
        }
        running.put(torrent.infoHash(), found);
        schedule.add(torrent.infoHash(), torrent.listenPort(), now);
    }

    synchronized void stop(InfoHash infoHash) {
        running.remove(infoHash);
        schedule.remove(infoHash);
    }

    /** The announce to send now, if one is due. */
    synchronized LsdMessage due(long now) {
        AnnounceSchedule.Round round = schedule.next(now);
        return round == null ? null : new LsdMessage(round.port(), round.infoHashes(), cookie);
    }


    /**
     * A datagram from {@code from}: the peers it gives, to run outside any lock. Whatever it
     * holds, nothing else changes but the rate and repeat bookkeeping.
     */
    synchronized List<Handoff> received(InetAddress from, byte[] datagram, int length, long now) {
        List<Handoff> handoffs = new ArrayList<>();
        tally(verdict(from, datagram, length, now, handoffs));
        return handoffs;
    }

    synchronized long count(Verdict verdict) {
        return verdicts.getOrDefault(verdict, 0L);
    }

    private Verdict verdict(InetAddress from, byte[] datagram, int length, long now, List<Handoff> handoffs) {
        if (!takeToken(now)) {
            return Verdict.OVER_RATE;
        }
        if (!LocalNetworks.contains(from)) {
            return Verdict.NOT_LOCAL;
        }
        LsdMessage message;
        try {
            message = LsdMessage.parse(datagram, length);
        } catch (LsdFormatException e) {
            return Verdict.MALFORMED;
        }
        if (message.cookie().equals(cookie)) {
            return Verdict.OURS;
        }
        boolean known = false;
        for (InfoHash infoHash : message.infoHashes()) {
            Consumer<InetSocketAddress> found = running.get(infoHash);
            if (found != null) {
                known = true;
                InetSocketAddress peer = new InetSocketAddress(from, message.port());
                Long handedAt = recent.get(new Recent(infoHash, peer));
                if (handedAt == null || now - handedAt >= repeatMillis) {
                    recent.remove(new Recent(infoHash, peer)); // re-inserted last: the newest
                    recent.put(new Recent(infoHash, peer), now);
                    handoffs.add(new Handoff(found, peer));
                }
            }
        }
        return !known ? Verdict.UNKNOWN_TORRENT : handoffs.isEmpty() ? Verdict.REPEATED : Verdict.USED;
    }

    private boolean takeToken(long now) {
        if (refilledAt != Long.MIN_VALUE) {
            tokens = Math.min(burst, tokens + (now - refilledAt) * datagramsPerMilli);
        }
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }

    private void tally(Verdict verdict) {
        verdicts.merge(verdict, 1L, Long::sum);
    }
}
