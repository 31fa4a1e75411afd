package io.graytorrent.shell.internal;

import java.net.InetSocketAddress;

/** Parses a peer given by a user: {@code HOST:PORT} or {@code [IPv6]:PORT}. */
final class PeerAddresses {
    private PeerAddresses() {
    }

    static InetSocketAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("a peer is HOST:PORT, not " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("write an IPv6 peer as [ADDRESS]:PORT, not " + text);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port in " + text);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range in " + text);
        }
        return new InetSocketAddress(host, port);
    }
}
