package io.graytorrent.portmap.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An answer to our SSDP {@code M-SEARCH} (UPnP Device Architecture 1.1, 1.3.3): an HTTP/1.1 200
 * status line and headers in one UDP datagram, of which we keep {@code LOCATION} (the device
 * description's http URL) and {@code ST} (what it answers to). Outside input: at most
 * {@value #MAX_BYTES} bytes and {@value #MAX_HEADERS} headers are read.
 *
 * @param location the device description's URL, http only
 * @param searchTarget the {@code ST} header, or "" without one
 */
public record SsdpReply(URI location, String searchTarget) {
    public static final int MAX_BYTES = 2048;
    static final int MAX_HEADERS = 32;

    public static SsdpReply parse(byte[] datagram, int length) throws GatewayReplyException {
        if (length > MAX_BYTES) {
            throw new GatewayReplyException("an SSDP reply of " + length + " bytes");
        }
        String[] lines = new String(datagram, 0, length, StandardCharsets.ISO_8859_1).split("\r?\n", MAX_HEADERS + 2);
        if (!lines[0].startsWith("HTTP/1.") || !lines[0].substring(Math.min(lines[0].length(), 8)).strip().startsWith("200")) {
            throw new GatewayReplyException("not an SSDP answer: " + lines[0].substring(0, Math.min(40, lines[0].length())));
        }
        String location = null;
        String target = "";
        for (int i = 1; i < lines.length && i <= MAX_HEADERS; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            if (name.equals("location")) {
                location = value;
            } else if (name.equals("st")) {
                target = value;
            }
        }
        if (location == null) {
            throw new GatewayReplyException("an SSDP answer without LOCATION");
        }
        return new SsdpReply(httpUri(location), target);
    }

    /** An absolute http URL with a host, or the reply is refused (no file:, no https to a LAN box). */
    static URI httpUri(String text) throws GatewayReplyException {
        try {
            URI uri = new URI(text);
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new GatewayReplyException("not an http URL: " + text);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new GatewayReplyException("not a URL: " + e.getMessage());
        }
    }
}
