package io.graytorrent.core.internal.engine;

import io.graytorrent.core.internal.session.TorrentRuntime;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.TorrentException;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The engine's torrents by id and by infohash (a hybrid under both of its swarm hashes), and which one a REF names. Reads are lock-free; the
 * engine makes changes under its own lock, so a check and the change that follows it stay together.
 */
public final class ManagedTorrents {
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");
    private static final Pattern HEX_PREFIX = Pattern.compile("[0-9a-fA-F]{4,40}");
    private static final Pattern V2_HASH = Pattern.compile("[0-9a-fA-F]{64}");

    private final Map<Integer, TorrentRuntime> byId = new ConcurrentHashMap<>();
    private final Map<InfoHash, TorrentRuntime> byHash = new ConcurrentHashMap<>();

    /** Adds the torrent. */
    void put(TorrentRuntime torrent) {
        byId.put(torrent.id(), torrent);
        torrent.swarmHashes().forEach(hash -> byHash.put(hash, torrent));
    }

    /**
     * The torrent's swarm hashes grew (a hybrid's magnet link brought its metadata): each new one leads to it,
     * unless another torrent holds it already; those are returned.
     */
    List<InfoHash> addSwarmHashes(TorrentRuntime torrent) {
        return torrent.swarmHashes().stream().filter(hash -> {
            TorrentRuntime holder = byHash.putIfAbsent(hash, torrent);
            return holder != null && holder != torrent;
        }).toList();
    }

    void remove(TorrentRuntime torrent) {
        byId.remove(torrent.id());
        torrent.swarmHashes().forEach(hash -> byHash.remove(hash, torrent));
    }

    /** Whether {@code torrent} is still the one managed under its id. */
    boolean isCurrent(TorrentRuntime torrent) {
        return byId.get(torrent.id()) == torrent;
    }

    boolean contains(int id) {
        return byId.containsKey(id);
    }

    Optional<TorrentRuntime> withInfoHash(InfoHash infoHash) {
        return Optional.ofNullable(byHash.get(infoHash));
    }

    /** A live view of the infohashes, safe to read from any thread. */
    Collection<InfoHash> infoHashes() {
        return Collections.unmodifiableSet(byHash.keySet());
    }

    Collection<TorrentRuntime> all() {
        return byId.values();
    }

    List<TorrentRuntime> byIdOrder() {
        return byId.values().stream().sorted(Comparator.comparingInt(TorrentRuntime::id)).toList();
    }

    /**
     * A torrent by id, full infohash, a unique infohash prefix of at least 4 hex digits, or a whole 64-hex v2
     * infohash (BEP 52), which names a torrent by its first 20 bytes as the wire does.
     */
    TorrentRuntime find(String ref) throws TorrentException {
        String text = ref.trim();
        if (DIGITS.matcher(text).matches()) {
            TorrentRuntime byNumber = byId.get(Integer.parseInt(text));
            if (byNumber != null || text.length() < 4) {
                return orUnknown(byNumber, ref);
            }
        }
        if (V2_HASH.matcher(text).matches()) {
            text = text.substring(0, 2 * InfoHash.LENGTH);
        }
        if (!HEX_PREFIX.matcher(text).matches()) {
            throw new TorrentException(TorrentException.Kind.INVALID_INPUT, "not a torrent id or infohash: " + ref);
        }
        String prefix = text.toLowerCase(Locale.ROOT);
        List<TorrentRuntime> matching = byHash.entrySet().stream()
                .filter(e -> e.getKey().toHex().startsWith(prefix)).map(Map.Entry::getValue).distinct().toList();
        if (matching.size() > 1) {
            throw new TorrentException(TorrentException.Kind.AMBIGUOUS,
                    "infohash prefix " + ref + " matches " + matching.size() + " torrents");
        }
        return orUnknown(matching.isEmpty() ? null : matching.get(0), ref);
    }

    private static TorrentRuntime orUnknown(TorrentRuntime torrent, String ref) throws TorrentException {
        if (torrent == null) {
            throw new TorrentException(TorrentException.Kind.NOT_FOUND, "no torrent " + ref);
        }
        return torrent;
    }
}
