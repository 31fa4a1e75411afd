package io.graytorrent.metainfo.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Makes a path from a .torrent safe to join to a download directory on any operating system, as
 * mainstream clients do instead of refusing the torrent: path syntax ({@code ""}, {@code "."},
 * {@code ".."}) is dropped, and a name that one system would read as a separator, a drive, a device
 * or something else than it says is altered. The result is the same on every system, so a torrent
 * names its files alike wherever it is downloaded.
 */
public final class SafePath {
    /** Deeper paths than this do not occur in real torrents; they only cost memory. */
    public static final int MAX_COMPONENTS = 256;
    /** Longest name (in UTF-8 bytes) that common file systems (ext4, NTFS, APFS) all take. */
    public static final int MAX_NAME_BYTES = 255;
    /** What stands in for a character or a name that cannot be kept. */
    public static final String REPLACEMENT = "_";

    private static final int MAX_SHOWN = 200;
    private static final int MAX_KEPT_EXTENSION = 16;
    private static final String WINDOWS_INVALID = "<>:\"|?*";
    private static final Set<String> RESERVED_NAMES = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private SafePath() {
    }

    /** {@code path} with each component made safe and the dropped ones left out; may be empty. */
    public static List<String> sanitize(List<String> path) {
        List<String> safe = new ArrayList<>(path.size());
        for (String component : path) {
            String name = component(component);
            if (name != null) {
                safe.add(name);
            }
        }
        return safe;
    }

    /**
     * One component made safe, or null when it is path syntax to drop: empty, {@code "."} or
     * {@code ".."}. Separators, control characters and characters Windows refuses become
     * {@code _}; trailing dots and spaces (which Windows strips, so two names could meet) go;
     * a device name ({@code CON}, {@code com1.txt}) gets {@code _} after it; an over-long name is
     * cut, keeping its extension.
     */
    public static String component(String component) {
        if (component.isEmpty() || component.equals(".") || component.equals("..")) {
            return null;
        }
        StringBuilder name = new StringBuilder(component.length());
        component.codePoints().forEach(c -> {
            boolean invalid = c == '/' || c == '\\' || Character.isISOControl(c) || WINDOWS_INVALID.indexOf(c) >= 0;
            if (invalid) {
                name.append(REPLACEMENT);
            } else {
                name.appendCodePoint(c);
            }
        });
        int end = name.length();
        while (end > 0 && (name.charAt(end - 1) == '.' || name.charAt(end - 1) == ' ')) {
            end--;
        }
        name.setLength(end);
        if (name.isEmpty()) {
            return REPLACEMENT;
        }
        int dot = name.indexOf(".");
        int baseEnd = dot < 0 ? name.length() : dot;
        if (RESERVED_NAMES.contains(name.substring(0, baseEnd).stripTrailing().toUpperCase(Locale.ROOT))) {
            name.insert(baseEnd, REPLACEMENT);
        }
        return shortened(name.toString());
    }

    /** {@code name} cut to {@link #MAX_NAME_BYTES} UTF-8 bytes on a character boundary, extension kept. */
    private static String shortened(String name) {
        if (name.length() * 3 <= MAX_NAME_BYTES || utf8Length(name) <= MAX_NAME_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= MAX_KEPT_EXTENSION ? name.substring(dot) : "";
        int budget = MAX_NAME_BYTES - utf8Length(extension);
        StringBuilder kept = new StringBuilder();
        int used = 0;
        for (int i = 0; i < name.length() - extension.length(); ) {
            int c = name.codePointAt(i);
            int bytes = utf8Length(Character.toString(c));
            if (used + bytes > budget) {
                break;
            }
            kept.appendCodePoint(c);
            used += bytes;
            i += Character.charCount(c);
        }
        return kept + extension;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * The path with control characters escaped and its length capped, so an error message stays
     * one readable line.
     */
    public static String printable(String path) {
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
