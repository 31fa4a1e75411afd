package io.graytorrent.core.internal.webseed;

import io.graytorrent.metainfo.Metainfo;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A BEP 17 HTTP seed: the torrent's bytes asked piece by piece, as
 * {@code url?info_hash=<20 bytes, percent-encoded>&piece=<index>&ranges=<first>-<last>} (inclusive, as HTTP
 * ranges are). The server answers 200 with exactly those bytes, or 503 with a body holding the seconds to wait
 * before asking again (read up to {@link #MAX_WAIT_BODY} bytes; the seed's back-off bounds the wait).
 */
final class HttpSeedPieces implements SeedLayout {
    /** The most of a 503's body read for its seconds to wait. */
    static final int MAX_WAIT_BODY = 32;

    private final Metainfo metainfo;
    private final String base;

    /** Throws IllegalArgumentException for a URL that is not absolute http(s), or a torrent without v1 hashes. */
    HttpSeedPieces(Metainfo metainfo, String url) {
        this.metainfo = metainfo;
        URI uri = WebSeedFiles.httpUri(url);
        if (!metainfo.hasV1Hashes()) {
            throw new IllegalArgumentException("BEP 17 names torrents by their v1 infohash, which a v2-only torrent lacks");
        }
        String text = uri.toString();
        this.base = text + (uri.getRawQuery() == null ? "?" : "&") + "info_hash="
                + WebSeedFiles.encode(metainfo.infoHash().toBytes());
    }

    /** One request per piece the bytes touch. */
    @Override
    public List<Segment> segments(long start, long length) {
        List<Segment> segments = new ArrayList<>();
        long end = start + length;
        for (long at = start; at < end; ) {
            int piece = (int) (at / metainfo.pieceLength());
            long pieceStart = (long) piece * metainfo.pieceLength();
            long to = Math.min(end, pieceStart + metainfo.pieceLength(piece));
            segments.add(new Segment(piece, at - pieceStart, to - at, false));
            at = to;
        }
        return segments;
    }

    @Override
    public Request request(Segment segment) {
        return new Request(URI.create(base + "&piece=" + segment.unit() + "&ranges=" + segment.offset() + "-"
                + (segment.offset() + segment.length() - 1)), Optional.empty());
    }

    /** 200 is read as the bytes asked; 503 waits as its body says; other 5xx back off; anything else is a violation. */
    @Override
    public Answer answer(Segment segment, int status, HttpHeaders headers) {
        if (status == 200) {
            return new Answer.Body(segment.length());
        }
        String what = describe(segment.unit()) + ": HTTP " + status;
        if (status != 503) {
            return new Answer.Refuse(RangeFetch.otherStatus(what, status));
        }
        return new Answer.ReadThenFail(MAX_WAIT_BODY, body -> { // a body that is not seconds waits as the back-off says
            Optional<Duration> wait = body.flatMap(HttpSeedPieces::waitSeconds);
            return new FetchFailure(FetchFailure.Kind.RETRY,
                    what + wait.map(w -> ", retry in " + w.toSeconds() + " s").orElse(""), wait, -1);
        });
    }

    @Override
    public String describe(int piece) {
        return "piece " + piece;
    }

    @Override
    public List<Integer> filesOf(int piece) {
        return List.of();
    }

    /** The seconds a 503's body holds ({@code "30"}, whitespace around allowed), else empty. */
    static Optional<Duration> waitSeconds(String body) {
        String text = body.strip();
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
    }
}
