package io.graytorrent.metainfo.internal;

import io.graytorrent.metainfo.MetainfoException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether a path from a .torrent may be joined to a download directory on any operating
 * system without leaving it or naming a device. Every component must be a plain name.
 */
public final class SafePath {
    /** Deeper paths than this do not occur in real torrents; they only cost memory. */
    public static final int MAX_COMPONENTS = 256;

    private static final int MAX_SHOWN = 200;
    private static final Pattern DRIVE_LETTER = Pattern.compile("^[A-Za-z]:.*", Pattern.DOTALL);
    private static final Set<String> RESERVED_NAMES = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private SafePath() {
    }

    /** Throws naming {@code what} and the whole path when any component is unsafe. */
    public static void check(String what, List<String> path) throws MetainfoException {
        if (path.isEmpty()) {
            throw new MetainfoException(what + " has an empty path");
        }
        if (path.size() > MAX_COMPONENTS) {
            throw new MetainfoException(what + " has a path deeper than " + MAX_COMPONENTS + " components");
        }
        for (String component : path) {
            String problem = problem(component);
            if (problem != null) {
                throw new MetainfoException("unsafe path in " + what + ": '" + printable(String.join("/", path))
                        + "' (" + problem + ")");
            }
        }
    }

    /** Why {@code component} is unsafe, or null when it is a plain name. */
    static String problem(String component) {
        if (component.isEmpty()) {
            return "empty component";
        }
        if (component.equals(".") || component.equals("..")) {
            return "component '" + component + "'";
        }
        if (component.indexOf('\0') >= 0) {
            return "NUL byte";
        }
        if (component.indexOf('/') >= 0 || component.indexOf('\\') >= 0) {
            return "path separator inside a component";
        }
        if (DRIVE_LETTER.matcher(component).matches()) {
            return "drive letter";
        }
        if (RESERVED_NAMES.contains(baseName(component))) {
            return "reserved device name";
        }
        return null;
    }

    /** What Windows compares with its device names: up to the first dot, trailing spaces dropped. */
    private static String baseName(String component) {
        int dot = component.indexOf('.');
        String base = dot < 0 ? component : component.substring(0, dot);
        return base.stripTrailing().toUpperCase(Locale.ROOT);
    }

    /**
     * The path with control characters escaped and its length capped, so an error message stays
     * one readable line.
     */
    static String printable(String path) {
        StringBuilder out = new StringBuilder(Math.min(path.length(), MAX_SHOWN + 3));
        path.codePoints().limit(MAX_SHOWN).forEach(c -> {
            if (Character.isISOControl(c)) { // all of them below 0xa0: two hex digits
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                out.appendCodePoint(c);
            }
        });
        return path.length() > MAX_SHOWN ? out.append("...").toString() : out.toString();
    }
}
