package io.graytorrent.lsd.internal;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The addresses an LSD announce is taken from: a multicast group's scope is wider than the LAN,
 * and an announce from anywhere else would let a remote host steer our dials. Loopback,
 * link-local (169.254/16, fe80::/10), the private IPv4 ranges (10/8, 172.16/12, 192.168/16) and
 * IPv6 unique local (fc00::/7) and site-local (fec0::/10) addresses.
 */
final class LocalNetworks {
    private LocalNetworks() {
    }

    static boolean contains(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()) {
            return true;
        }
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }
}
