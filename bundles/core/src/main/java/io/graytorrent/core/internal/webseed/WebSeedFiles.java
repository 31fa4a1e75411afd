package io.graytorrent.core.internal.webseed;

import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.Metainfo;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a web seed holds the torrent's bytes (BEP 19): a single-file torrent is the URL itself, or
 * the URL plus the torrent's name when it ends in '/'; a multi-file torrent's file is the URL as a
 * directory, then the torrent's name and the file's path, each segment percent-encoded.
 */
final class WebSeedFiles {

    /** Bytes {@code [fileOffset, fileOffset + length)} of file {@code file}. */
    record Segment(int file, long fileOffset, long length, boolean padding) {
    }

    private final Metainfo metainfo;
    private final List<URI> fileUris;

    /** Throws IllegalArgumentException for a URL that is not absolute http(s). */
    WebSeedFiles(Metainfo metainfo, String url) {
        this.metainfo = metainfo;
        URI base = URI.create(url.strip());
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https") || base.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + url);
        }
        String text = base.toString();
        List<URI> uris = new ArrayList<>();
        if (!metainfo.multiFile()) {
            uris.add(URI.create(text.endsWith("/") ? text + encode(metainfo.name()) : text));
        } else {
            String directory = (text.endsWith("/") ? text : text + "/") + encode(metainfo.name()) + "/";
            for (FileEntry file : metainfo.files()) {
                uris.add(URI.create(directory + String.join("/", file.path().stream().map(WebSeedFiles::encode).toList())));
            }
        }
        this.fileUris = List.copyOf(uris);
    }

    URI uri(int file) {
        return fileUris.get(file);
    }

    long fileLength(int file) {
        return metainfo.files().get(file).length();
    }

    String path(int file) {
        return metainfo.files().get(file).displayPath();
    }

    /** The file pieces of the torrent's bytes {@code [start, start + length)}, in order. */
    List<Segment> segments(long start, long length) {
        List<Segment> segments = new ArrayList<>();
        long end = start + length;
        List<FileEntry> files = metainfo.files();
        for (int file = 0; file < files.size(); file++) {
            FileEntry entry = files.get(file);
            long from = Math.max(start, entry.offset());
            long to = Math.min(end, entry.offset() + entry.length());
            if (from < to) {
                segments.add(new Segment(file, from - entry.offset(), to - from, entry.isPadding()));
            }
        }
        return segments;
    }

    /** The files (padding aside) holding any byte of {@code piece}. */
    List<Integer> filesOf(int piece) {
        long start = (long) piece * metainfo.pieceLength();
        return segments(start, metainfo.pieceLength(piece)).stream().filter(s -> !s.padding()).map(Segment::file).toList();
    }

    /** RFC 3986 percent-encoding of one path segment: everything but the unreserved characters. */
    static String encode(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
