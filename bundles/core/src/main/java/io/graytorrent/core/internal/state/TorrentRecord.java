package io.graytorrent.core.internal.state;

import io.graytorrent.api.InfoHash;
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
 * e
 * </pre>
 * Verified pieces and file priorities are the storage's resume record, not this one. Exactly one of
 * {@code torrentFile} and {@code magnetUri} is given.
 */
public record TorrentRecord(int id, InfoHash infoHash, byte[] torrentFile, Path saveDirectory, boolean running,
        long uploaded, long downloaded, List<InetSocketAddress> peers, String magnetUri) {
    static final int VERSION = 1;

    public TorrentRecord {
        peers = List.copyOf(peers);
        if ((torrentFile == null) == (magnetUri == null)) {
            throw new IllegalArgumentException("a torrent record holds a .torrent or a magnet link");
        }
    }

    /** A torrent added from a .torrent file. */
    public TorrentRecord(int id, InfoHash infoHash, byte[] torrentFile, Path saveDirectory, boolean running, long uploaded,
            long downloaded, List<InetSocketAddress> peers) {
        this(id, infoHash, torrentFile, saveDirectory, running, uploaded, downloaded, peers, null);
    }

    /** A torrent added from a magnet link, before its metadata is known. */
    public static TorrentRecord ofMagnet(int id, InfoHash infoHash, String magnetUri, Path saveDirectory, boolean running,
            List<InetSocketAddress> peers) {
        return new TorrentRecord(id, infoHash, null, saveDirectory, running, 0, 0, peers, magnetUri);
    }

    public TorrentRecord withProgress(boolean running, long uploaded, long downloaded, List<InetSocketAddress> peers) {
        return new TorrentRecord(id, infoHash, torrentFile, saveDirectory, running, uploaded, downloaded, peers,
                magnetUri);
    }

    /** The magnet link's torrent once its metadata arrived: from now on a .torrent like any other. */
    public TorrentRecord withTorrentFile(byte[] torrentFile) {
        return new TorrentRecord(id, infoHash, torrentFile, saveDirectory, running, uploaded, downloaded, peers, null);
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
                    magnet ? new String(string(record, "magnet"), StandardCharsets.UTF_8) : null);
        } catch (BencodeException | ClassCastException | NoSuchElementException | ArithmeticException e) {
            throw new IllegalArgumentException("damaged torrent record: " + e.getMessage(), e);
        }
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
