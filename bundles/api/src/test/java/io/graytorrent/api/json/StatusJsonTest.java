package io.graytorrent.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.graytorrent.api.FilePriority;
import io.graytorrent.api.FileStatus;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The API v1 names (docs/api.md) are a contract: programs read them from the API and from `gray … --json`. */
@Unit
class StatusJsonTest {
    private static final String HASH = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";

    @Test
    void aTorrentHasEveryApiField() {
        TorrentStatus status = new TorrentStatus(3, InfoHash.parse(HASH), "t", Path.of("/data"), TorrentState.FETCHING_METADATA,
                1000, 800, 200, 10, 5, 300, 40, 2, 1, OptionalLong.empty(), Optional.empty());
        Map<String, Object> json = StatusJson.torrent(status);
        assertEquals(List.of("id", "infoHash", "infoHashV2", "name", "savePath", "state", "totalBytes", "wantedBytes", "verifiedBytes",
                "progress", "downloadRate", "uploadRate", "downloaded", "uploaded", "ratio", "peers", "seeds", "peersBySource",
                "webSeeds", "eta", "error", "stall"),
                List.copyOf(json.keySet()));
        assertEquals(HASH, json.get("infoHash"));
        assertEquals("fetching_metadata", json.get("state"));
        assertEquals(0.25, json.get("progress"));
        assertNull(json.get("eta"), "no ETA is null, not left out");
        assertNull(json.get("infoHashV2"), "a v1 torrent has no v2 infohash: null, not left out");
        assertEquals(List.of("name", "id"), List.copyOf(StatusJson.torrent(status, List.of("name", "id")).keySet()));
    }

    @Test
    void aV2OrHybridTorrentShowsItsWholeV2Infohash() {
        String v2 = HASH + "0123456789abcdef0123456789ab";
        TorrentStatus status = new TorrentStatus(3, InfoHash.parse(HASH), "t", Path.of("/data"), TorrentState.SEEDING,
                1000, 1000, 1000, 0, 0, 0, 0, 0, 0, OptionalLong.empty(), Optional.empty(), Optional.empty(), Map.of(), 0,
                Optional.of(v2));
        assertEquals(v2, StatusJson.torrent(status).get("infoHashV2"));
    }

    @Test
    void peersAreCountedBySourceWithEverySourceAKey() {
        List<PeerStatus> peers = List.of(peer("127.0.0.2", PeerOrigin.PEX), peer("127.0.0.3", PeerOrigin.PEX),
                peer("127.0.0.4", PeerOrigin.INCOMING));
        TorrentStatus status = new TorrentStatus(3, InfoHash.parse(HASH), "t", Path.of("/data"), TorrentState.DOWNLOADING,
                1000, 800, 200, 10, 5, 300, 40, 3, 0, OptionalLong.empty(), Optional.empty(), Optional.empty(),
                TorrentStatus.countBySource(peers), 0);
        Map<String, Object> expected = new LinkedHashMap<>();
        for (PeerOrigin origin : PeerOrigin.values()) {
            expected.put(origin.label(), origin == PeerOrigin.PEX ? 2 : origin == PeerOrigin.INCOMING ? 1 : 0);
        }
        assertEquals(expected, StatusJson.torrent(status).get("peersBySource"));
    }

    private static PeerStatus peer(String ip, PeerOrigin source) {
        return new PeerStatus(new InetSocketAddress(ip, 6881), "", true, 0, 0, 0, 0, 0, "", source);
    }

    @Test
    void aFileCarriesItsProgressAndAnEmptyFileIsComplete() {
        Map<String, Object> json = StatusJson.file(new FileStatus(1, "a/b.bin", 400, 100, FilePriority.HIGH));
        assertEquals(List.of("index", "path", "size", "verifiedBytes", "progress", "priority"), List.copyOf(json.keySet()));
        assertEquals(0.25, json.get("progress"));
        assertEquals("high", json.get("priority"));
        assertEquals(1.0, StatusJson.file(new FileStatus(0, "empty", 0, 0, FilePriority.NORMAL)).get("progress"));
    }

    @Test
    void aPeerIsItsAddressAndPortApart() {
        Map<String, Object> json = StatusJson.peer(new PeerStatus(new InetSocketAddress("127.0.0.7", 6881), "Deluge", true,
                0.5, 1, 2, 3, 4, "D"));
        assertEquals(List.of("address", "port", "client", "outgoing", "progress", "downloadRate", "uploadRate",
                "downloaded", "uploaded", "flags", "encryption", "source"), List.copyOf(json.keySet()));
        assertEquals("127.0.0.7", json.get("address"));
        assertEquals(6881, json.get("port"));
    }

    @Test
    void aTrackerNeverHeardFromHasNullCounts() {
        Map<String, Object> json = StatusJson.tracker(new TrackerStatus("udp://t:1/announce", 0, "idle", Optional.empty(),
                Optional.empty(), OptionalInt.empty(), OptionalInt.of(4), Optional.empty()));
        assertEquals(List.of("url", "tier", "status", "lastAnnounce", "nextAnnounce", "seeders", "leechers", "lastError"),
                List.copyOf(json.keySet()));
        assertNull(json.get("seeders"));
        assertEquals(4, json.get("leechers"));
    }
}
