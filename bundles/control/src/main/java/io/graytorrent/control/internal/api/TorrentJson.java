package io.graytorrent.control.internal.api;

import io.graytorrent.api.PieceMap;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.api.json.StatusJson;
import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.JsonFields;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What only the API answers: a chosen set of torrent fields, a piece map, totals. A torrent, file, peer
 * and tracker themselves are {@link StatusJson}, shared with the shell's {@code --json}.
 */
final class TorrentJson {
    /** More availability entries than this are grouped, so a piece map stays small whatever the torrent. */
    static final int MAX_AVAILABILITY_ENTRIES = 4096;
    static final int MAX_FIELDS = 32;

    private TorrentJson() {
    }

    /** The names in a {@code fields} parameter, checked; every field when {@code parameter} is null. */
    static List<String> fieldNames(String parameter) throws ApiException {
        if (parameter == null) {
            return List.copyOf(StatusJson.TORRENT_FIELDS.keySet());
        }
        List<String> names = Arrays.stream(parameter.split(",", -1)).map(String::trim).distinct().toList();
        if (names.size() > MAX_FIELDS) {
            throw ApiException.badRequest("bad_field", "at most " + MAX_FIELDS + " fields");
        }
        for (String name : names) {
            if (!StatusJson.TORRENT_FIELDS.containsKey(name)) {
                throw ApiException.badRequest("bad_field", "unknown field " + JsonFields.abbreviate(name)
                        + "; known: " + String.join(",", StatusJson.TORRENT_FIELDS.keySet()));
            }
        }
        return names;
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
            byState.put(StatusJson.state(state), 0);
        }
        torrents.forEach(t -> byState.merge(StatusJson.state(t.state()), 1, Integer::sum));
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
