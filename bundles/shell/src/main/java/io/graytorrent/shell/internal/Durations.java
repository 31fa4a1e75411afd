package io.graytorrent.shell.internal;

import java.util.OptionalLong;

/** Short durations for ETAs: "45s", "12m05s", "3h20m", "2d04h"; "-" when unknown. */
final class Durations {
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
}
