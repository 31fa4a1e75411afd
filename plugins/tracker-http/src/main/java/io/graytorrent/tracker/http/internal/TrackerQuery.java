package io.graytorrent.tracker.http.internal;

import io.graytorrent.api.AnnounceRequest;
import io.graytorrent.api.InfoHash;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The BEP 3 announce and BEP 48 scrape URLs: raw bytes percent-encoded, parameters appended to any query the URL has. */
final class TrackerQuery {
    private static final String HEX = "0123456789ABCDEF";

    private TrackerQuery() {
    }

    static URI announce(AnnounceRequest request) {
        StringBuilder query = new StringBuilder();
        query.append("info_hash=").append(encode(request.infoHash().toBytes()))
                .append("&peer_id=").append(encode(request.peerId()))
                .append("&port=").append(request.port())
                .append("&uploaded=").append(request.uploaded())
                .append("&downloaded=").append(request.downloaded())
                .append("&left=").append(request.left())
                .append("&compact=1")
                .append("&numwant=").append(request.numWant() < 0 ? 50 : request.numWant())
                .append("&key=").append(Integer.toHexString(request.key()));
        if (!request.event().queryValue().isEmpty()) {
            query.append("&event=").append(request.event().queryValue());
        }
        request.trackerId().ifPresent(id -> query.append("&trackerid=").append(encode(id.getBytes(StandardCharsets.UTF_8))));
        return withQuery(request.tracker(), query.toString());
    }

    /** BEP 48: the scrape URL replaces "announce" at the start of the path's last segment; empty when it has none. */
    static Optional<URI> scrape(URI announce, InfoHash infoHash) {
        String raw = announce.toString();
        int queryStart = raw.indexOf('?');
        String beforeQuery = queryStart < 0 ? raw : raw.substring(0, queryStart);
        int lastSlash = beforeQuery.lastIndexOf('/');
        if (lastSlash < 0 || !beforeQuery.startsWith("announce", lastSlash + 1)) {
            return Optional.empty();
        }
        URI scrape = URI.create(beforeQuery.substring(0, lastSlash + 1) + "scrape"
                + beforeQuery.substring(lastSlash + 1 + "announce".length()) + (queryStart < 0 ? "" : raw.substring(queryStart)));
        return Optional.of(withQuery(scrape, "info_hash=" + encode(infoHash.toBytes())));
    }

    private static URI withQuery(URI base, String parameters) {
        String raw = base.toString();
        int fragment = raw.indexOf('#');
        if (fragment >= 0) {
            raw = raw.substring(0, fragment);
        }
        String separator = raw.indexOf('?') < 0 ? "?" : raw.endsWith("?") || raw.endsWith("&") ? "" : "&";
        return URI.create(raw + separator + parameters);
    }

    /** Percent-encodes every byte except RFC 3986's unreserved characters. */
    static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
            }
        }
        return out.toString();
    }
}
