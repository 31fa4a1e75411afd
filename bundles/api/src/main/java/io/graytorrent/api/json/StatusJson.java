package io.graytorrent.api.json;

import io.graytorrent.api.FileStatus;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.Stall;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.api.WebSeedStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * A torrent, file, peer and tracker as JSON-ready maps, keys in the order answers list them. Absent
 * values (no ETA, no error, a tracker's unknown counts) are null, never left out, so every answer of
 * one kind has the same keys.
 */
public final class StatusJson {
    /** Every torrent field, in order; a caller may pick some of them by name. */
    public static final Map<String, Function<TorrentStatus, Object>> TORRENT_FIELDS = torrentFields();

    private StatusJson() {
    }

    private static Map<String, Function<TorrentStatus, Object>> torrentFields() {
        Map<String, Function<TorrentStatus, Object>> fields = new LinkedHashMap<>();
        fields.put("id", TorrentStatus::id);
        fields.put("infoHash", t -> t.infoHash().toHex());
        fields.put("infoHashV2", t -> t.infoHashV2().orElse(null));
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
        fields.put("peersBySource", StatusJson::peersBySource);
        fields.put("webSeeds", TorrentStatus::webSeeds);
        fields.put("eta", t -> t.eta().isPresent() ? t.eta().getAsLong() : null);
        fields.put("error", t -> t.error().orElse(null));
        fields.put("stall", t -> t.stall().map(StatusJson::stall).orElse(null));
        return Collections.unmodifiableMap(fields);
    }

    /** {"tracker":0,"dht":0,"pex":3,...}: connected peers by source, every source a key. */
    private static Map<String, Object> peersBySource(TorrentStatus status) {
        Map<String, Object> json = new LinkedHashMap<>();
        status.peersBySource().forEach((origin, count) -> json.put(origin.label(), count));
        return json;
    }

    /** Why a torrent makes no progress: {@code kind}, a readable {@code message}, and {@code since} when. */
    public static Map<String, Object> stall(Stall stall) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", stall.kind().name().toLowerCase(Locale.ROOT));
        json.put("message", stall.message());
        json.put("since", stall.since().toString());
        return json;
    }

    /** {@code fields}, names from {@link #TORRENT_FIELDS} the caller has checked, in the order given. */
    public static Map<String, Object> torrent(TorrentStatus status, List<String> fields) {
        Map<String, Object> json = new LinkedHashMap<>();
        fields.forEach(name -> json.put(name, TORRENT_FIELDS.get(name).apply(status)));
        return json;
    }

    public static Map<String, Object> torrent(TorrentStatus status) {
        return torrent(status, List.copyOf(TORRENT_FIELDS.keySet()));
    }

    /** "downloading", "fetching_metadata", ...: the enum's name in lower case. */
    public static String state(TorrentState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    public static Map<String, Object> file(FileStatus file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("index", file.index());
        json.put("path", file.path());
        json.put("size", file.size());
        json.put("verifiedBytes", file.verifiedBytes());
        json.put("progress", fileProgress(file));
        json.put("priority", file.priority().name().toLowerCase(Locale.ROOT));
        return json;
    }

    /** The verified fraction of a file; an empty file is complete. */
    public static double fileProgress(FileStatus file) {
        return file.size() == 0 ? 1.0 : (double) file.verifiedBytes() / file.size();
    }

    public static Map<String, Object> peer(PeerStatus peer) {
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

    public static Map<String, Object> webSeed(WebSeedStatus seed) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", seed.url());
        json.put("kind", seed.kind());
        json.put("state", seed.state());
        json.put("downloadRate", seed.downloadRate());
        json.put("downloaded", seed.downloaded());
        json.put("lastError", seed.lastError().orElse(null));
        return json;
    }

    public static Map<String, Object> tracker(TrackerStatus tracker) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", tracker.url());
        json.put("tier", tracker.tier());
        json.put("status", tracker.status());
        json.put("lastAnnounce", tracker.lastAnnounce().map(Object::toString).orElse(null));
        json.put("nextAnnounce", tracker.nextAnnounce().map(Object::toString).orElse(null));
        json.put("seeders", orNull(tracker.seeders()));
        json.put("leechers", orNull(tracker.leechers()));
        json.put("lastError", tracker.lastError().orElse(null));
        return json;
    }

    private static Integer orNull(OptionalInt value) {
        return value.isPresent() ? value.getAsInt() : null;
    }
}
