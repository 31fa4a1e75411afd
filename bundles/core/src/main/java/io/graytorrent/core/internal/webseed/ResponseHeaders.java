package io.graytorrent.core.internal.webseed;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The two header values a web seed reads from a server: {@code Content-Range} and {@code Retry-After}. */
final class ResponseHeaders {
    private static final int MAX_VALUE_LENGTH = 200;

    private ResponseHeaders() {
    }

    /** {@code bytes first-last/total} ({@code total} -1 for {@code *}). */
    record ContentRange(long first, long last, long total) {
    }

    /** RFC 9110 {@code Content-Range: bytes first-last/(total|*)}; empty when malformed. */
    static Optional<ContentRange> contentRange(String value) {
        if (value == null || value.length() > MAX_VALUE_LENGTH) {
            return Optional.empty();
        }
        String text = value.strip();
        if (!text.regionMatches(true, 0, "bytes ", 0, 6)) {
            return Optional.empty();
        }
        String spec = text.substring(6).strip();
        int dash = spec.indexOf('-');
        int slash = spec.indexOf('/');
        if (dash <= 0 || slash <= dash + 1) {
            return Optional.empty();
        }
        long first = number(spec.substring(0, dash));
        long last = number(spec.substring(dash + 1, slash));
        String totalText = spec.substring(slash + 1);
        long total = totalText.equals("*") ? -1 : number(totalText);
        if (first < 0 || last < first || (total != -1 && total <= last) || (!totalText.equals("*") && total < 0)) {
            return Optional.empty();
        }
        return Optional.of(new ContentRange(first, last, total));
    }

    /** RFC 9110 {@code Retry-After}: delay-seconds or an HTTP-date; empty when absent or malformed. */
    static Optional<Duration> retryAfter(String value, Instant now) {
        if (value == null || value.isBlank() || value.length() > MAX_VALUE_LENGTH) {
            return Optional.empty();
        }
        long seconds = number(value.strip());
        if (seconds >= 0) {
            return Optional.of(Duration.ofSeconds(seconds));
        }
        try {
            Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration delay = Duration.between(now, at);
            return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A non-negative decimal of at most 18 digits, else -1. */
    private static long number(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
