package io.graytorrent.shell.internal;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Short durations for ETAs: "45s", "12m05s", "3h20m", "2d04h"; "-" when unknown. Read back the same way. */
final class Durations {
    /** Hours, minutes, seconds, each optional (bare digits are seconds): "90", "90s", "5m", "1h30m". */
    private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,5})h)?(?:(\\d{1,7})m)?(?:(\\d{1,9})s?)?");

    private Durations() {
    }

    static String format(OptionalLong seconds) {
        return seconds.isPresent() ? format(seconds.getAsLong()) : "-";
    }

    static String format(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        } else if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        } else if (seconds < 86_400) {
            return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format("%dd%02dh", seconds / 86_400, seconds % 86_400 / 3600);
    }

    /** A positive duration as {@link #format} writes it (days aside), e.g. {@code --timeout 5m}. */
    static Duration parse(String text) {
        Matcher m = DURATION.matcher(text);
        if (!text.isEmpty() && m.matches()) {
            Duration duration = Duration.ofHours(number(m.group(1))).plusMinutes(number(m.group(2)))
                    .plusSeconds(number(m.group(3)));
            if (!duration.isZero()) {
                return duration;
            }
        }
        throw new IllegalArgumentException("a duration is like 90s, 5m or 1h30m, not " + text);
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }
}
