package io.graytorrent.core.internal.webseed;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a web seed's server holds the torrent's bytes, which is all that differs between BEP 19 and BEP 17: how a
 * run of the torrent's bytes is cut into requests, what each request is, and what each answer means. Everything
 * else (picking, back-off, strikes, verification, limits) is the same {@link WebSeed}.
 */
sealed interface SeedLayout permits WebSeedFiles, HttpSeedPieces {

    /** Bytes {@code [offset, offset + length)} of unit {@code unit} (a file for BEP 19, a piece for BEP 17). */
    record Segment(int unit, long offset, long length, boolean padding) {
    }

    /** A GET of {@code uri}, with a {@code Range} header when {@code range} holds one. */
    record Request(URI uri, Optional<String> range) {
    }

    /** What an answer's body is for. */
    sealed interface Answer {
        /** Exactly {@code bytes} bytes of the run. */
        record Body(long bytes) implements Answer {
        }

        /** Nothing: the run fails with {@code failure}, the body unread (it may not end). */
        record Refuse(FetchFailure failure) implements Answer {
        }

        /** At most {@code maxBytes} of text (the whole body, or none when longer), then the run fails as it says. */
        record ReadThenFail(int maxBytes, Function<Optional<String>, FetchFailure> failure) implements Answer {
        }
    }

    /** The requests that fetch the torrent's bytes {@code [start, start + length)}, in order. */
    List<Segment> segments(long start, long length);

    /** The request for {@code segment}. */
    Request request(Segment segment);

    /** What the answer {@code status} with {@code headers} to {@code segment} means (redirects are followed before). */
    Answer answer(Segment segment, int status, HttpHeaders headers);

    /** Unit {@code unit} named for a log line or an error. */
    String describe(int unit);

    /** The units (files) a missing one of which stops this seed from serving {@code piece}; none for BEP 17. */
    List<Integer> filesOf(int piece);
}
