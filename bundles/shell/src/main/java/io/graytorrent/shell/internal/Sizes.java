package io.graytorrent.shell.internal;

import java.util.Locale;

/** Human-readable sizes in binary units, as every transfer tool shows them. */
final class Sizes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Sizes() {
    }

    static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        return String.format(Locale.ROOT, "%.1f %s", bytes / Math.pow(1024, unit), UNITS[unit]);
    }

    /** A transfer rate, "0 B/s" when idle. */
    static String rate(long bytesPerSecond) {
        return format(bytesPerSecond) + "/s";
    }

    /** Parses "262144", "256k", "256KiB", "1m", "1MiB" into bytes. */
    static long parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long multiplier = 1;
        String number = t;
        if (t.endsWith("kib") || t.endsWith("k")) {
            multiplier = 1024;
            number = t.substring(0, t.indexOf('k'));
        } else if (t.endsWith("mib") || t.endsWith("m")) {
            multiplier = 1024 * 1024;
            number = t.substring(0, t.indexOf('m'));
        }
        try {
            return Math.multiplyExact(Long.parseLong(number), multiplier);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size: " + text);
        }
    }
}
