package io.graytorrent.core.internal.state;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.SeedingGoals;
import io.graytorrent.api.TorrentOptions;
import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BInteger;
import io.graytorrent.bencode.BList;
import io.graytorrent.bencode.BString;
import io.graytorrent.bencode.BValue;
import io.graytorrent.bencode.BencodeDecoder;
import io.graytorrent.bencode.BencodeException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * What the engine remembers of one managed torrent, {@code state/torrent-<id>.record}:
 * <pre>
 * d
 *   7:version     i1e
 *   2:id          i&lt;id&gt;e
 *   9:info-hash   20:&lt;bytes&gt;
 *   7:torrent     &lt;the .torrent file's bytes&gt;    (or, while a magnet link's metadata is fetched:)
 *   6:magnet      &lt;the magnet link&gt;
 *   9:save-path   &lt;directory given at add, UTF-8&gt;
 *   7:running     i0e | i1e
 *   8:uploaded    i&lt;payload bytes&gt;e
 *   10:downloaded i&lt;payload bytes&gt;e
 *   5:peers       l &lt;"host:port"&gt; ... e   (peers given at add or by connect)
 *   7:options     d                             (absent: {@link TorrentOptions#DEFAULTS})
 *                   10:sequential i0e|i1e  10:first-last i0e|i1e
 *                   10:seed-ratio i&lt;thousandths, -1000 global&gt;e  9:seed-time i&lt;s, -1 global&gt;e
 *                   9:seed-idle i&lt;s, -1 global&gt;e  11:seed-action 4:stop|6:remove (absent: global)
 *                 e
 *   15:seeding-seconds i&lt;time spent seeding&gt;e   (absent: 0)
 * e
 * </pre>
 * Verified pieces and file priorities are the storage's resume record, not this one. Exactly one of
 * {@code torrentFile} and {@code magnetUri} is given.
 */
public record TorrentRecord(int id, InfoHash infoHash, byte[] torrentFile, Path saveDirectory, boolean running,
        long uploaded, long downloaded, List<InetSocketAddress> peers, String magnetUri, TorrentOptions options,
        long seedingSeconds) {
    static final int VERSION = 1;

    public TorrentRecord {
        peers = List.copyOf(peers);
        Objects.requireNonNull(options, "options");
        if ((torrentFile == null) == (magnetUri == null)) {
            throw new IllegalArgumentException("a torrent record holds a .torrent or a magnet link");
        }
    }

    /** A torrent added from a .torrent file. */
    public TorrentRecord(int id, InfoHash infoHash, byte[] torrentFile, Path saveDirectory, boolean running, long uploaded,
            long downloaded, List<InetSocketAddress> peers) {
        this(id, infoHash, torrentFile, saveDirectory, running, uploaded, downloaded, peers, null);
    }

    private TorrentRecord(int id, InfoHash infoHash, byte[] torrentFile, Path saveDirectory, boolean running,
            long uploaded, long downloaded, List<InetSocketAddress> peers, String magnetUri) {
        this(id, infoHash, torrentFile, saveDirectory, running, uploaded, downloaded, peers, magnetUri,
                TorrentOptions.DEFAULTS, 0);
    }

    /** A torrent added from a magnet link, before its metadata is known. */
    public static TorrentRecord ofMagnet(int id, InfoHash infoHash, String magnetUri, Path saveDirectory, boolean running,
            List<InetSocketAddress> peers) {
        return new TorrentRecord(id, infoHash, null, saveDirectory, running, 0, 0, peers, magnetUri);
    }

    public TorrentRecord withProgress(boolean running, long uploaded, long downloaded, List<InetSocketAddress> peers) {
        return new TorrentRecord(id, infoHash, torrentFile, saveDirectory, running, uploaded, downloaded, peers,
                magnetUri, options, seedingSeconds);
    }

    public TorrentRecord withOptions(TorrentOptions changed) {
        return new TorrentRecord(id, infoHash, torrentFile, saveDirectory, running, uploaded, downloaded, peers,
                magnetUri, changed, seedingSeconds);
    }

    public TorrentRecord withSeedingSeconds(long seconds) {
        return new TorrentRecord(id, infoHash, torrentFile, saveDirectory, running, uploaded, downloaded, peers,
                magnetUri, options, seconds);
    }

    /** The data moved: the torrent's files are below {@code directory} from now on. */
    public TorrentRecord withSaveDirectory(Path directory) {
        return new TorrentRecord(id, infoHash, torrentFile, directory, running, uploaded, downloaded, peers,
                magnetUri, options, seedingSeconds);
    }

    /** The magnet link's torrent once its metadata arrived: from now on a .torrent like any other. */
    public TorrentRecord withTorrentFile(byte[] torrentFile) {
        return new TorrentRecord(id, infoHash, torrentFile, saveDirectory, running, uploaded, downloaded, peers, null,
                options, seedingSeconds);
    }

    byte[] encode() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("version", VERSION);
        record.put("id", id);
        record.put("info-hash", infoHash.toBytes());
        if (torrentFile != null) {
            record.put("torrent", torrentFile);
        } else {
            record.put("magnet", magnetUri);
        }
        record.put("save-path", saveDirectory.toString());
        record.put("running", running ? 1 : 0);
        record.put("uploaded", uploaded);
        record.put("downloaded", downloaded);
        record.put("peers", peers.stream().map(p -> p.getHostString() + ":" + p.getPort()).toList());
        if (!options.equals(TorrentOptions.DEFAULTS)) {
            record.put("options", encodeOptions(options));
        }
        if (seedingSeconds > 0) {
            record.put("seeding-seconds", seedingSeconds);
        }
        return io.graytorrent.bencode.BencodeEncoder.encode(record);
    }

    /** Reads a record; {@link IllegalArgumentException} when it is damaged or of another version. */
    static TorrentRecord decode(byte[] bytes) {
        try {
            BDictionary record = (BDictionary) new BencodeDecoder().decode(bytes);
            if (integer(record, "version") != VERSION) {
                throw new IllegalArgumentException("torrent record version " + integer(record, "version"));
            }
            List<InetSocketAddress> peers = new ArrayList<>();
            for (BValue value : ((BList) record.get("peers").orElseThrow()).values()) {
                peers.add(parseAddress(new String(((BString) value).bytes(), StandardCharsets.UTF_8)));
            }
            boolean magnet = record.get("torrent").isEmpty();
            return new TorrentRecord(Math.toIntExact(integer(record, "id")), InfoHash.of(string(record, "info-hash")),
                    magnet ? null : string(record, "torrent"),
                    Path.of(new String(string(record, "save-path"), StandardCharsets.UTF_8)),
                    integer(record, "running") != 0, integer(record, "uploaded"), integer(record, "downloaded"), peers,
                    magnet ? new String(string(record, "magnet"), StandardCharsets.UTF_8) : null,
                    record.get("options").map(value -> decodeOptions((BDictionary) value)).orElse(TorrentOptions.DEFAULTS),
                    record.get("seeding-seconds").map(value -> ((BInteger) value).value()).orElse(0L));
        } catch (BencodeException | ClassCastException | NoSuchElementException | ArithmeticException e) {
            throw new IllegalArgumentException("damaged torrent record: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> encodeOptions(TorrentOptions options) {
        Map<String, Object> encoded = new LinkedHashMap<>();
        SeedingGoals goals = options.seedingGoals();
        encoded.put("sequential", options.sequential() ? 1 : 0);
        encoded.put("first-last", options.firstLastPiecesFirst() ? 1 : 0);
        encoded.put("seed-ratio", Math.round(goals.ratioLimit() * 1000));
        encoded.put("seed-time", goals.seedingTimeLimit());
        encoded.put("seed-idle", goals.idleLimit());
        if (goals.action() != null) {
            encoded.put("seed-action", goals.action().toString());
        }
        return encoded;
    }

    private static TorrentOptions decodeOptions(BDictionary options) {
        SeedingGoals goals = new SeedingGoals(integer(options, "seed-ratio") / 1000.0, integer(options, "seed-time"),
                integer(options, "seed-idle"), options.get("seed-action")
                        .map(value -> SeedingGoals.Action.parse(new String(((BString) value).bytes(), StandardCharsets.UTF_8)))
                        .orElse(null));
        return new TorrentOptions(integer(options, "sequential") != 0, integer(options, "first-last") != 0, goals);
    }

    /** "host:port", the host possibly an IPv6 literal in brackets; unresolved names stay unresolved. */
    static InetSocketAddress parseAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not host:port: " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            return InetSocketAddress.createUnresolved(host, port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not host:port: " + text, e);
        }
    }

    private static long integer(BDictionary record, String key) {
        return ((BInteger) record.get(key).orElseThrow()).value();
    }

    private static byte[] string(BDictionary record, String key) {
        return ((BString) record.get(key).orElseThrow()).bytes();
    }
}
