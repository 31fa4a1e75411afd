package io.graytorrent.metainfo;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@link MetainfoParser#read} found in a .torrent: its v1 view, its v2 view (BEP 52), or
 * both for a hybrid (whose views were checked to describe the same files), and the fields outside
 * the {@code info} dictionary. Immutable.
 *
 * @param v1           the v1 view, which the engine downloads; empty for a v2-only torrent
 * @param v2           the v2 view; empty for a v1 torrent
 * @param trackerTiers BEP 12 tiers in file order ({@code announce} alone is one tier)
 * @param webSeeds     BEP 19 {@code url-list}
 * @param isPrivate    BEP 27 {@code private=1}
 * @param httpSeeds    BEP 17 {@code httpseeds}
 */
public record ParsedTorrent(Optional<Metainfo> v1, Optional<MetainfoV2> v2, List<List<String>> trackerTiers,
        List<String> webSeeds, boolean isPrivate, Optional<Instant> creationDate, Optional<String> createdBy,
        Optional<String> comment, List<String> httpSeeds) {

    /** A torrent without BEP 17 HTTP seeds. */
    public ParsedTorrent(Optional<Metainfo> v1, Optional<MetainfoV2> v2, List<List<String>> trackerTiers,
            List<String> webSeeds, boolean isPrivate, Optional<Instant> creationDate, Optional<String> createdBy,
            Optional<String> comment) {
        this(v1, v2, trackerTiers, webSeeds, isPrivate, creationDate, createdBy, comment, List.of());
    }

    public ParsedTorrent {
        if (v1.isEmpty() && v2.isEmpty()) {
            throw new IllegalArgumentException("a torrent has a v1 view, a v2 view or both");
        }
        trackerTiers = trackerTiers.stream().map(List::copyOf).toList();
        webSeeds = List.copyOf(webSeeds);
        httpSeeds = List.copyOf(httpSeeds);
    }

    public boolean isHybrid() {
        return v1.isPresent() && v2.isPresent();
    }

    public String name() {
        return v1.map(Metainfo::name).orElseGet(() -> v2.orElseThrow().name());
    }

    /** "v1", "v2" or "hybrid". */
    public String kind() {
        return isHybrid() ? "hybrid" : v1.isPresent() ? "v1" : "v2";
    }
}
