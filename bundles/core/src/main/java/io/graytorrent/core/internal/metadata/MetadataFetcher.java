package io.graytorrent.core.internal.metadata;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.util.Sha1;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Assembles a torrent's info dictionary from the peers that offer it (BEP 9). The size the first
 * usable peer announces is adopted (at most {@code maxSize}, so memory stays bounded), and its 16 KiB
 * pieces are requested from every peer announcing that same size, the least busy first, a few at a
 * time each, so several peers serve in parallel. A rejected request goes to another peer, and the
 * one that rejected it is not asked for that piece again for {@code timeoutMillis}. A peer that
 * leaves a request unanswered for {@code timeoutMillis} is dropped and its requests go to others:
 * BEP 9 asks for a reject, and a silent peer kept would be asked again and again, each time holding
 * a piece for the whole timeout. The whole is checked against the infohash: when it fails, a peer that sent all of it is
 * dropped and penalised, several that shared it are dropped, and the pieces are fetched again.
 * A peer whose message breaks BEP 9 (a size other than it announced, a piece out of range or of the
 * wrong length) is dropped.
 *
 * <p>Not thread-safe: owned by the torrent's executor. Times are milliseconds of any one clock.
 *
 * @param <P> how the caller names a peer (a connection)
 */
public final class MetadataFetcher<P> {
    /** Requests outstanding at one peer at once. */
    static final int MAX_OUTSTANDING_PER_PEER = 4;

    /** What the fetcher does to peers; called on the owner's thread, from within its methods. */
    public interface Peers<P> {
        void request(P peer, int piece);

        /** Disconnects the peer; {@code penalise} when it sent metadata that failed the infohash alone. */
        void drop(P peer, String reason, boolean penalise);
    }

    /** Whether assembled metadata is the torrent's: its SHA-1 and/or SHA-256 are the link's infohashes. */
    private final Predicate<byte[]> matches;
    private final int maxSize;
    private final long timeoutMillis;
    private final Peers<P> peers;
    private final Map<P, Source> sources = new LinkedHashMap<>();
    private final Map<Integer, Pending<P>> pending = new HashMap<>();
    /** The adopted size, or -1 before a peer has offered a usable one. */
    private int size = -1;
    private byte[] buffer;
    private final BitSet received = new BitSet();
    private final Map<Integer, P> senders = new HashMap<>();

    /** A peer offering metadata of {@code size} bytes, and which pieces it failed to give until when. */
    private static final class Source {
        final long size;
        int outstanding;
        final Map<Integer, Long> avoidUntil = new HashMap<>();

        Source(long size) {
            this.size = size;
        }
    }

    private record Pending<P>(P peer, long deadline) {
    }

    public MetadataFetcher(InfoHash infoHash, int maxSize, long timeoutMillis, Peers<P> peers) {
        this(info -> MessageDigest.isEqual(Sha1.of(info), infoHash.toBytes()), maxSize, timeoutMillis, peers);
    }

    /**
     * A fetcher that accepts the metadata {@code matches} accepts: {@link io.graytorrent.metainfo.MagnetLink#matches}
     * checks a v2 link's SHA-256 and a hybrid's both hashes (BEP 52 over BEP 9).
     */
    public MetadataFetcher(Predicate<byte[]> matches, int maxSize, long timeoutMillis, Peers<P> peers) {
        if (maxSize < 1 || timeoutMillis < 1) {
            throw new IllegalArgumentException("maxSize and timeoutMillis must be positive");
        }
        this.matches = matches;
        this.maxSize = maxSize;
        this.timeoutMillis = timeoutMillis;
        this.peers = peers;
    }

    /**
     * The peer's extension handshake offers ut_metadata of {@code metadataSize} bytes. A size over
     * the cap is not fetched from that peer; false then.
     */
    public boolean peerOffers(P peer, long metadataSize, long now) {
        if (metadataSize < 1 || metadataSize > maxSize) {
            return false;
        }
        sources.put(peer, new Source(metadataSize));
        requestMissing(now);
        return true;
    }

    /** The peer's connection closed; its requests go to others. */
    public void peerGone(P peer, long now) {
        if (forget(peer)) {
            requestMissing(now);
        }
    }

    private boolean forget(P peer) {
        pending.values().removeIf(p -> p.peer().equals(peer));
        return sources.remove(peer) != null;
    }

    /** Peers offering metadata of a usable size. */
    public int sourceCount() {
        return sources.size();
    }

    /** The adopted size, if any peer offered one. */
    public Optional<Integer> size() {
        return size < 0 ? Optional.empty() : Optional.of(size);
    }

    /**
     * A message from the peer. Returns the info dictionary once its last piece arrived and it
     * matches the infohash.
     */
    public Optional<byte[]> received(P peer, MetadataMessage message, long now) {
        Source source = sources.get(peer);
        if (source == null || message instanceof MetadataMessage.Request) {
            return Optional.empty(); // not a peer we asked; requests are the server's business
        }
        int pieces = MetadataMessage.pieceCount(source.size);
        if (message.piece() >= pieces) {
            drop(peer, "ut_metadata piece " + message.piece() + " out of range (" + pieces + " pieces)", false, now);
            return Optional.empty();
        }
        Pending<P> request = pending.get(message.piece());
        boolean asked = request != null && request.peer().equals(peer);
        if (message instanceof MetadataMessage.Data data) {
            String wrong = wrongData(source, data);
            if (wrong != null) {
                drop(peer, wrong, false, now);
                return Optional.empty();
            }
            if (asked) {
                settle(message.piece(), source);
                System.arraycopy(data.data(), 0, buffer, message.piece() * MetadataMessage.PIECE_LENGTH, data.data().length);
                received.set(message.piece());
                senders.put(message.piece(), peer);
                if (received.cardinality() == MetadataMessage.pieceCount(size)) {
                    return verify(now);
                }
            }
        } else if (asked) {
            settle(message.piece(), source);
            source.avoidUntil.put(message.piece(), now + timeoutMillis);
        }
        requestMissing(now);
        return Optional.empty();
    }

    /** Peers holding a request past its deadline are dropped; their requests go to others. */
    public void tick(long now) {
        Set<P> late = new LinkedHashSet<>();
        pending.values().stream().filter(request -> request.deadline() <= now).forEach(request -> late.add(request.peer()));
        for (P peer : late) {
            forget(peer);
            peers.drop(peer, "left a ut_metadata request unanswered for " + timeoutMillis + " ms", false);
        }
        requestMissing(now);
    }

    private String wrongData(Source source, MetadataMessage.Data data) {
        if (data.totalSize() != source.size) {
            return "ut_metadata total_size " + data.totalSize() + " differs from the metadata_size " + source.size
                    + " it announced";
        }
        long expected = Math.min(MetadataMessage.PIECE_LENGTH, source.size - (long) data.piece() * MetadataMessage.PIECE_LENGTH);
        if (data.data().length != expected) {
            return "ut_metadata piece " + data.piece() + " has " + data.data().length + " bytes, not " + expected;
        }
        return null;
    }

    private void settle(int piece, Source source) {
        pending.remove(piece);
        source.outstanding--;
    }

    private Optional<byte[]> verify(long now) {
        if (matches.test(buffer)) {
            pending.clear();
            return Optional.of(buffer);
        }
        Set<P> contributors = new LinkedHashSet<>(senders.values());
        received.clear();
        senders.clear();
        contributors.forEach(this::forget);
        boolean alone = contributors.size() == 1;
        for (P contributor : contributors) {
            peers.drop(contributor, alone ? "sent metadata that does not match the infohash"
                    : "shared in metadata that does not match the infohash", alone);
        }
        requestMissing(now);
        return Optional.empty();
    }

    private void drop(P peer, String reason, boolean penalise, long now) {
        forget(peer);
        peers.drop(peer, reason, penalise);
        requestMissing(now);
    }

    /**
     * Adopts a size if none is, then sends each missing, unrequested piece to the least busy willing
     * peer. When nothing of the adopted size is under way or in hand and no peer offering it is
     * willing, another peer's size is adopted: a peer announcing a false size and never answering
     * must not keep the others from being asked.
     */
    private void requestMissing(long now) {
        if (size >= 0 && sources.values().stream().noneMatch(s -> s.size == size)) {
            adopt(-1); // nobody left who offers that size: start over with what others offer
        }
        if (size < 0 && !sources.isEmpty()) {
            adopt(sources.values().iterator().next().size);
        }
        if (size >= 0) {
            requestPieces(now);
            if (pending.isEmpty() && received.isEmpty()) {
                sources.values().stream().filter(s -> s.size != size).findFirst().ifPresent(other -> {
                    adopt(other.size);
                    requestPieces(now);
                });
            }
        }
    }

    private void adopt(long newSize) {
        size = (int) newSize;
        buffer = newSize < 0 ? null : new byte[size];
        received.clear();
        senders.clear();
    }

    private void requestPieces(long now) {
        for (int piece = received.nextClearBit(0); piece < MetadataMessage.pieceCount(size); piece = received.nextClearBit(piece + 1)) {
            if (!pending.containsKey(piece)) {
                P peer = willingPeer(piece, now);
                if (peer == null) {
                    continue;
                }
                sources.get(peer).outstanding++;
                pending.put(piece, new Pending<>(peer, now + timeoutMillis));
                peers.request(peer, piece);
            }
        }
    }

    private P willingPeer(int piece, long now) {
        P best = null;
        int fewest = MAX_OUTSTANDING_PER_PEER;
        for (Map.Entry<P, Source> entry : sources.entrySet()) {
            Source source = entry.getValue();
            if (source.size == size && source.outstanding < fewest && source.avoidUntil.getOrDefault(piece, 0L) <= now) {
                best = entry.getKey();
                fewest = source.outstanding;
            }
        }
        return best;
    }

}
