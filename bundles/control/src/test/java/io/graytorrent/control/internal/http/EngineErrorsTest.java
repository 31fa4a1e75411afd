package io.graytorrent.control.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentException.Kind;
import io.graytorrent.testkit.Unit;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Unit
class EngineErrorsTest {
    static Stream<Arguments> statusAndCodePerKind() {
        return Stream.of(
                Arguments.of(Kind.NOT_FOUND, 404, "not_found"),
                Arguments.of(Kind.AMBIGUOUS, 400, "ambiguous"),
                Arguments.of(Kind.ALREADY_MANAGED, 409, "conflict"),
                Arguments.of(Kind.INVALID_INPUT, 400, "bad_request"),
                Arguments.of(Kind.NOT_SUPPORTED, 501, "not_supported"),
                Arguments.of(Kind.NO_METADATA_YET, 409, "no_metadata_yet"),
                Arguments.of(Kind.BUSY, 409, "busy"),
                Arguments.of(Kind.TARGET_EXISTS, 409, "target_exists"),
                Arguments.of(Kind.NO_SPACE, 507, "insufficient_storage"),
                Arguments.of(Kind.FAILED, 500, "internal_error"));
    }

    @ParameterizedTest
    @MethodSource
    void statusAndCodePerKind(Kind kind, int status, String code) {
        ApiException refusal = EngineErrors.refusal(new TorrentException(kind, "the engine's words"));
        assertEquals(status, refusal.status().code());
        assertEquals(code, refusal.code());
        assertEquals("the engine's words", refusal.getMessage(), "the message reaches the client as it is");
    }

    @Test
    void everyKindIsListedAboveInItsOrder() {
        assertEquals(Arrays.asList(Kind.values()),
                statusAndCodePerKind().map(arguments -> arguments.get()[0]).toList());
    }
}
