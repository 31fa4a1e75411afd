package io.graytorrent.control.internal.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PieceMap;
import io.graytorrent.api.Stall;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.json.StatusJson;
import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.testkit.Unit;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@Unit
class TorrentJsonTest {
    static TorrentStatus status(int id, TorrentState state, long downloadRate) {
        return new TorrentStatus(id, InfoHash.parse("%040x".formatted(id)), "t" + id, Path.of("/data"), state, 1000,
                800, 200, downloadRate, 5, 300, 40, 2, 1, OptionalLong.empty(), Optional.empty());
    }

    @Test
    void aSmallPieceMapKeepsEveryPieceAndUsesTheBep3BitOrder() {
        BitSet verified = new BitSet();
        verified.set(0);
        verified.set(9);
        Map<String, Object> json = TorrentJson.pieces(new PieceMap(10, verified, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0}));
        assertEquals(10, json.get("pieceCount"));
        assertArrayEquals(new byte[] {(byte) 0x80, 0x40}, Base64.getDecoder().decode((String) json.get("verified")));
        assertEquals(1, json.get("availabilityGroup"));
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0}, (int[]) json.get("availability"));
    }

    @Test
    void aLargePieceMapGroupsAvailabilityByItsRarestPiece() {
        int pieces = 10_000;
        int[] availability = IntStream.range(0, pieces).map(i -> i == 5 ? 0 : 3).toArray();
        Map<String, Object> json = TorrentJson.pieces(new PieceMap(pieces, new BitSet(), availability));
        assertEquals(3, json.get("availabilityGroup"));
        int[] grouped = (int[]) json.get("availability");
        assertEquals(3334, grouped.length);
        assertEquals(0, grouped[1], "pieces 3-5 hold the missing piece 5");
        assertEquals(3, grouped[0]);
        assertEquals(1250, Base64.getDecoder().decode((String) json.get("verified")).length);
    }

    @Test
    void aStoppedTorrentHasNoAvailability() {
        Map<String, Object> json = TorrentJson.pieces(new PieceMap(3, new BitSet(), new int[0]));
        assertArrayEquals(new int[0], (int[]) json.get("availability"));
    }

    @Test
    void aStallIsItsKindMessageAndSinceOrNull() {
        assertEquals(null, StatusJson.torrent(status(1, TorrentState.DOWNLOADING, 0)).get("stall"));
        TorrentStatus stuck = new TorrentStatus(2, InfoHash.parse("%040x".formatted(2)), "t2", Path.of("/data"),
                TorrentState.DOWNLOADING, 1000, 800, 0, 0, 0, 0, 0, 0, 0, OptionalLong.empty(), Optional.empty(),
                Optional.of(new Stall(Stall.Kind.PEERS_REFUSED, "3 peers known, none connects", Instant.ofEpochSecond(1_800_000_000))));
        assertEquals(Map.of("kind", "peers_refused", "message", "3 peers known, none connects", "since", "2027-01-15T08:00:00Z"),
                StatusJson.torrent(stuck).get("stall"));
    }

    @Test
    void chosenFieldsAreCheckedAndKeptInTheirOrder() throws ApiException {
        TorrentStatus status = status(7, TorrentState.DOWNLOADING, 100);
        List<String> fields = TorrentJson.fieldNames("name,id,progress");
        assertEquals(List.of("name", "id", "progress"), List.copyOf(StatusJson.torrent(status, fields).keySet()));
        assertEquals(0.25, StatusJson.torrent(status, fields).get("progress"));
        assertEquals("downloading", StatusJson.torrent(status).get("state"));
        assertEquals(22, StatusJson.torrent(status).size(), "every field without a choice");
        assertThrows(ApiException.class, () -> TorrentJson.fieldNames("id,password"));
        assertThrows(ApiException.class, () -> TorrentJson.fieldNames(""));
    }

    @Test
    void statsCountTorrentsByStateAndAddTheirRates() {
        Map<String, Object> stats = TorrentJson.stats(List.of(status(1, TorrentState.DOWNLOADING, 100),
                status(2, TorrentState.SEEDING, 0), status(3, TorrentState.DOWNLOADING, 50)));
        assertEquals(3, stats.get("torrents"));
        assertEquals(Map.of("fetching_metadata", 0, "checking", 0, "downloading", 2, "seeding", 1, "queued", 0,
                "stopped", 0, "moving", 0, "error", 0), stats.get("byState"));
        assertEquals(150L, stats.get("downloadRate"));
        assertEquals(6, stats.get("peers"));
    }
}
