package io.graytorrent.core.internal.webseed;

import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.core.internal.webseed.ResponseHeaders.ContentRange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a web seed holds the torrent's bytes (BEP 19): a single-file torrent is the URL itself, or
 * the URL plus the torrent's name when it ends in '/'; a multi-file torrent's file is the URL as a
 * directory, then the torrent's name and the file's path, each segment percent-encoded.
 */
final class WebSeedFiles implements SeedLayout {

    private final Metainfo metainfo;
    private final List<URI> fileUris;

    /** Throws IllegalArgumentException for a URL that is not absolute http(s). */
    WebSeedFiles(Metainfo metainfo, String url) {
        this.metainfo = metainfo;
        URI base = httpUri(url);
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

    /** {@code url} as an absolute http(s) URI; IllegalArgumentException when it is not one. */
    static URI httpUri(String url) {
        URI uri = URI.create(url.strip());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + url);
        }
        return uri;
    }

    URI uri(int file) {
        return fileUris.get(file);
    }

    long fileLength(int file) {
        return metainfo.files().get(file).length();
    }

    @Override
    public String describe(int file) {
        return metainfo.files().get(file).displayPath();
    }

    /** One range request per file the bytes touch. */
    @Override
    public Request request(Segment segment) {
        return new Request(uri(segment.unit()),
                Optional.of("bytes=" + segment.offset() + "-" + (segment.offset() + segment.length() - 1)));
    }

    /**
     * 206 with the {@code Content-Range} asked, or 200 for a whole file, is read; 404 and 410 say the file is
     * missing; 503 and 429 back off as {@code Retry-After} says; other 5xx back off; anything else is a violation.
     */
    @Override
    public Answer answer(Segment segment, int status, HttpHeaders headers) {
        int file = segment.unit();
        long fileLength = fileLength(file);
        if (status == 206) {
            ContentRange expected = new ContentRange(segment.offset(), segment.offset() + segment.length() - 1,
                    fileLength);
            String header = headers.get(HttpHeaderNames.CONTENT_RANGE);
            ContentRange range = ResponseHeaders.contentRange(header).orElse(null);
            if (range == null || range.first() != expected.first() || range.last() != expected.last()
                    || (range.total() != -1 && range.total() != fileLength)) {
                return new Answer.Refuse(FetchFailure.violation(describe(file) + ": Content-Range " + header
                        + ", asked bytes " + expected.first() + "-" + expected.last() + "/" + fileLength));
            }
            return new Answer.Body(segment.length());
        }
        if (status == 200) {
            if (segment.offset() == 0 && segment.length() == fileLength) {
                return new Answer.Body(segment.length());
            }
            return new Answer.Refuse(FetchFailure.violation(describe(file) + ": the server ignores Range (200 for a part)"));
        }
        String what = describe(file) + ": HTTP " + status;
        if (status == 404 || status == 410) {
            return new Answer.Refuse(new FetchFailure(FetchFailure.Kind.MISSING_FILE, what, Optional.empty(), file));
        }
        if (status == 503 || status == 429) {
            return new Answer.Refuse(new FetchFailure(FetchFailure.Kind.RETRY, what,
                    ResponseHeaders.retryAfter(headers.get(HttpHeaderNames.RETRY_AFTER), Instant.now()), -1));
        }
        return new Answer.Refuse(RangeFetch.otherStatus(what, status));
    }

    /** The file pieces of the torrent's bytes {@code [start, start + length)}, in order. */
    @Override
    public List<Segment> segments(long start, long length) {
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
    @Override
    public List<Integer> filesOf(int piece) {
        long start = (long) piece * metainfo.pieceLength();
        return segments(start, metainfo.pieceLength(piece)).stream().filter(s -> !s.padding()).map(Segment::unit).toList();
    }

    /** RFC 3986 percent-encoding of one path segment: everything but the unreserved characters. */
    static String encode(String segment) {
        return encode(segment.getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 3986 percent-encoding of {@code bytes}: everything but the unreserved characters. */
    static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
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
