package io.graytorrent.control.internal;

import io.graytorrent.api.FileStatus;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.PieceMap;
import io.graytorrent.api.Stall;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.TrackerStatus;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The JSON shapes of the engine's values, as docs/api.md describes them. */
final class TorrentJson {
    /** More availability entries than this are grouped, so a piece map stays small whatever the torrent. */
    static final int MAX_AVAILABILITY_ENTRIES = 4096;
    static final int MAX_FIELDS = 32;

    /** Every torrent field, in the order answers list them. */
    static final Map<String, Function<TorrentStatus, Object>> TORRENT_FIELDS = torrentFields();

    private TorrentJson() {
    }

    private static Map<String, Function<TorrentStatus, Object>> torrentFields() {
        Map<String, Function<TorrentStatus, Object>> fields = new LinkedHashMap<>();
        fields.put("id", TorrentStatus::id);
        fields.put("infoHash", t -> t.infoHash().toHex());
        fields.put("name", TorrentStatus::name);
        fields.put("savePath", t -> t.savePath().toString());
        fields.put("state", t -> state(t.state()));
        fields.put("totalBytes", TorrentStatus::totalBytes);
        fields.put("wantedBytes", TorrentStatus::wantedBytes);
        fields.put("verifiedBytes", TorrentStatus::verifiedBytes);
        fields.put("progress", TorrentStatus::progress);
        fields.put("downloadRate", TorrentStatus::downloadRate);
        fields.put("uploadRate", TorrentStatus::uploadRate);
        fields.put("downloaded", TorrentStatus::downloaded);
        fields.put("uploaded", TorrentStatus::uploaded);
        fields.put("ratio", TorrentStatus::ratio);
        fields.put("peers", TorrentStatus::peers);
        fields.put("seeds", TorrentStatus::seeds);
        fields.put("eta", t -> t.eta().isPresent() ? t.eta().getAsLong() : null);
        fields.put("error", t -> t.error().orElse(null));
        fields.put("stall", t -> t.stall().map(TorrentJson::stall).orElse(null));
        return Collections.unmodifiableMap(fields);
    }

    static Map<String, Object> stall(Stall stall) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", stall.kind().name().toLowerCase(Locale.ROOT));
        json.put("message", stall.message());
        json.put("since", stall.since().toString());
        return json;
    }

    /** The names in a {@code fields} parameter, checked; every field when {@code parameter} is null. */
    static List<String> fieldNames(String parameter) throws ApiException {
        if (parameter == null) {
            return List.copyOf(TORRENT_FIELDS.keySet());
        }
        List<String> names = Arrays.stream(parameter.split(",", -1)).map(String::trim).distinct().toList();
        if (names.size() > MAX_FIELDS) {
            throw ApiException.badRequest("bad_field", "at most " + MAX_FIELDS + " fields");
        }
        for (String name : names) {
            if (!TORRENT_FIELDS.containsKey(name)) {
                throw ApiException.badRequest("bad_field", "unknown field " + Json.abbreviate(name)
                        + "; known: " + String.join(",", TORRENT_FIELDS.keySet()));
            }
        }
        return names;
    }

    static Map<String, Object> torrent(TorrentStatus status, List<String> fields) {
        Map<String, Object> json = new LinkedHashMap<>();
        fields.forEach(name -> json.put(name, TORRENT_FIELDS.get(name).apply(status)));
        return json;
    }

    static Map<String, Object> torrent(TorrentStatus status) {
        return torrent(status, List.copyOf(TORRENT_FIELDS.keySet()));
    }

    static String state(TorrentState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    static Map<String, Object> file(FileStatus file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("index", file.index());
        json.put("path", file.path());
        json.put("size", file.size());
        json.put("verifiedBytes", file.verifiedBytes());
        json.put("progress", file.size() == 0 ? 1.0 : (double) file.verifiedBytes() / file.size());
        json.put("priority", file.priority().name().toLowerCase(Locale.ROOT));
        return json;
    }

    static Map<String, Object> peer(PeerStatus peer) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("address", peer.address().getHostString());
        json.put("port", peer.address().getPort());
        json.put("client", peer.client());
        json.put("outgoing", peer.outgoing());
        json.put("progress", peer.progress());
        json.put("downloadRate", peer.downloadRate());
        json.put("uploadRate", peer.uploadRate());
        json.put("downloaded", peer.downloaded());
        json.put("uploaded", peer.uploaded());
        json.put("flags", peer.flags());
        json.put("encryption", peer.encryption());
        json.put("source", peer.source().label());
        return json;
    }

    static Map<String, Object> tracker(TrackerStatus tracker) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", tracker.url());
        json.put("tier", tracker.tier());
        json.put("status", tracker.status());
        json.put("lastAnnounce", tracker.lastAnnounce().map(Object::toString).orElse(null));
        json.put("nextAnnounce", tracker.nextAnnounce().map(Object::toString).orElse(null));
        json.put("seeders", tracker.seeders().isPresent() ? tracker.seeders().getAsInt() : null);
        json.put("leechers", tracker.leechers().isPresent() ? tracker.leechers().getAsInt() : null);
        json.put("lastError", tracker.lastError().orElse(null));
        return json;
    }

    /**
     * The verified pieces as a BEP 3 bitfield (piece 0 in the high bit of byte 0), base64; availability
     * grouped by the smallest group size that keeps at most {@value #MAX_AVAILABILITY_ENTRIES} entries,
     * each the minimum of its group (the rarest piece is what matters to a user).
     */
    static Map<String, Object> pieces(PieceMap map) {
        int[] availability = map.availability();
        int group = Math.max(1, (availability.length + MAX_AVAILABILITY_ENTRIES - 1) / MAX_AVAILABILITY_ENTRIES);
        int[] grouped = new int[(availability.length + group - 1) / group];
        for (int i = 0; i < grouped.length; i++) {
            grouped[i] = Arrays.stream(availability, i * group, Math.min(availability.length, (i + 1) * group)).min().orElse(0);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pieceCount", map.pieceCount());
        json.put("verified", Base64.getEncoder().encodeToString(bitfield(map.verified(), map.pieceCount())));
        json.put("availabilityGroup", group);
        json.put("availability", grouped);
        return json;
    }

    static byte[] bitfield(BitSet pieces, int pieceCount) {
        byte[] bytes = new byte[(pieceCount + 7) / 8];
        for (int piece = pieces.nextSetBit(0); piece >= 0; piece = pieces.nextSetBit(piece + 1)) {
            bytes[piece / 8] |= (byte) (0x80 >>> (piece % 8));
        }
        return bytes;
    }

    /** Totals over {@code torrents}: counts by state, rates, bytes, peers. */
    static Map<String, Object> stats(List<TorrentStatus> torrents) {
        Map<String, Integer> byState = new LinkedHashMap<>();
        for (TorrentState state : TorrentState.values()) {
            byState.put(state(state), 0);
        }
        torrents.forEach(t -> byState.merge(state(t.state()), 1, Integer::sum));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("torrents", torrents.size());
        json.put("byState", byState);
        json.put("downloadRate", torrents.stream().mapToLong(TorrentStatus::downloadRate).sum());
        json.put("uploadRate", torrents.stream().mapToLong(TorrentStatus::uploadRate).sum());
        json.put("downloaded", torrents.stream().mapToLong(TorrentStatus::downloaded).sum());
        json.put("uploaded", torrents.stream().mapToLong(TorrentStatus::uploaded).sum());
        json.put("peers", torrents.stream().mapToInt(TorrentStatus::peers).sum());
        json.put("seeds", torrents.stream().mapToInt(TorrentStatus::seeds).sum());
        return json;
    }
}
