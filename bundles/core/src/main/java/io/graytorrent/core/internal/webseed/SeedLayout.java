package io.graytorrent.core.internal.webseed;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.LongFunction;

/**
 * How a web seed's server holds the torrent's bytes, which is all that differs between BEP 19 and BEP 17: how a
 * run of the torrent's bytes is cut into requests, what each request is, and what each answer means. Everything
 * else (picking, back-off, strikes, verification, limits) is the same {@link WebSeed}.
 */
sealed interface SeedLayout permits WebSeedFiles, HttpSeedPieces {

    /** Bytes {@code [offset, offset + length)} of unit {@code unit} (a file for BEP 19, a piece for BEP 17). */
    record Segment(int unit, long offset, long length, boolean padding) {
    }

    /** The requests that fetch the torrent's bytes {@code [start, start + length)}, in order. */
    List<Segment> segments(long start, long length);

    /** The request for {@code segment}, without timeout, User-Agent and method. */
    HttpRequest.Builder request(Segment segment);

    /**
     * What to do with the answer to {@code segment}: {@code body.apply(n)} reads its {@code n} bytes into the run;
     * {@link RangeFetch#refuse} fails the run with a {@link FetchFailure}.
     */
    HttpResponse.BodySubscriber<Void> answer(Segment segment, HttpResponse.ResponseInfo info,
            LongFunction<HttpResponse.BodySubscriber<Void>> body);

    /** Unit {@code unit} named for a log line or an error. */
    String describe(int unit);

    /** The units (files) a missing one of which stops this seed from serving {@code piece}; none for BEP 17. */
    List<Integer> filesOf(int piece);
}
