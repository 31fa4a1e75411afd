package io.graytorrent.metainfo;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.util.Sha1;
import io.graytorrent.bencode.BencodeEncoder;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed magnet link (BEP 9, with BEP 53 file selection). Immutable; {@link MagnetParser} makes them.
 *
 * @param infoHash      {@code xt=urn:btih:}, the torrent's v1 infohash; for a v2-only link (only
 *                      {@code xt=urn:btmh:}) the v2 infohash truncated to 20 bytes, the hash v2 peers,
 *                      trackers and the DHT use (BEP 52)
 * @param infoHashV2    {@code xt=urn:btmh:}, the v2 infohash of a v2 or hybrid torrent, when the link gives it
 * @param displayName   {@code dn}, a name to show until the metadata arrives
 * @param trackerTiers  {@code tr} URLs as BEP 12 tiers: each plain {@code tr} its own tier, the
 *                      {@code tr.N} of one N one tier
 * @param peers         {@code x.pe}: peers to ask directly, unresolved host and port
 * @param webSeeds      {@code ws}: web seed URLs, kept for a web seed plugin
 * @param selectedFiles {@code so}: the file indexes to download; empty selects every file
 */
public record MagnetLink(InfoHash infoHash, Optional<InfoHashV2> infoHashV2, Optional<String> displayName, List<List<String>> trackerTiers,
        List<InetSocketAddress> peers, List<String> webSeeds, List<FileRange> selectedFiles) {

    /** Files {@code first} to {@code last}, both included. */
    public record FileRange(int first, int last) {
        public FileRange {
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("not a file range: " + first + "-" + last);
            }
        }
    }

    public MagnetLink {
        trackerTiers = trackerTiers.stream().map(List::copyOf).toList();
        peers = List.copyOf(peers);
        webSeeds = List.copyOf(webSeeds);
        selectedFiles = List.copyOf(selectedFiles);
    }

    /**
     * Whether the link names only a v2 infohash: {@link #infoHash()} is then its truncation, not a SHA-1.
     * (A crafted hybrid link whose btih is its btmh's truncation reads as v2-only; its SHA-256 is still checked.)
     */
    public boolean isV2Only() {
        return infoHashV2.isPresent() && infoHashV2.get().truncated().equals(infoHash);
    }

    /**
     * Whether {@code info}, an info dictionary's bytes as received (BEP 9), is this link's torrent: its
     * SHA-1 is the v1 infohash unless the link is v2-only, and its SHA-256 the v2 infohash when the
     * link gives one (a hybrid's one dictionary must match both).
     */
    public boolean matches(byte[] info) {
        boolean v1 = isV2Only() || MessageDigest.isEqual(Sha1.of(info), infoHash.toBytes());
        return v1 && infoHashV2.map(v2 -> MessageDigest.isEqual(MerkleTree.sha256().digest(info), v2.toBytes()))
                .orElse(true);
    }

    /** Whether the link asks for file {@code index}: every file when it has no {@code so}. */
    public boolean selectsFile(int index) {
        return selectedFiles.isEmpty() || selectedFiles.stream().anyMatch(r -> index >= r.first() && index <= r.last());
    }

    /** The display name, else the infohash in hex: what to call the torrent before its metadata arrives. */
    public String name() {
        return displayName.orElse(infoHash.toHex());
    }

    /**
     * A .torrent file of the fetched {@code info} dictionary (its exact bytes) with this link's
     * trackers ({@code announce}, {@code announce-list}) and web seeds ({@code url-list}).
     */
    public byte[] toTorrentFile(byte[] info) {
        Map<String, Object> head = new LinkedHashMap<>();
        if (!trackerTiers.isEmpty()) {
            head.put("announce", trackerTiers.get(0).get(0));
            head.put("announce-list", trackerTiers);
        }
        byte[] encodedHead = BencodeEncoder.encode(head);
        ByteArrayOutputStream out = new ByteArrayOutputStream(info.length + encodedHead.length + 64);
        // keys in sorted order: announce, announce-list, info, url-list; info goes in byte for byte
        out.write(encodedHead, 0, encodedHead.length - 1);
        out.writeBytes("4:info".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(info);
        if (!webSeeds.isEmpty()) {
            out.writeBytes("8:url-list".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(BencodeEncoder.encode(webSeeds));
        }
        out.write('e');
        return out.toByteArray();
    }
}
