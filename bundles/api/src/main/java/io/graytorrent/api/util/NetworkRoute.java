package io.graytorrent.api.util;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which way our outgoing traffic leaves: from which local address ({@code bindAddress}, or the
 * addresses of one named interface, {@code bindInterface}) and whether through a SOCKS5 proxy.
 * The peer wire's configuration holds these keys; every component that opens a socket (peer
 * connections, tracker clients, the shared UDP socket) reads them and asks this class, so there is
 * one rule for all. An interface is looked up at every use: while it is missing or down nothing is
 * sent at all (a {@link RouteDownException} says why) rather than falling back to another
 * interface, and traffic resumes by itself when it returns.
 *
 * @param bindAddress              an IP literal our sockets bind to; empty for the system's choice
 * @param bindInterface            a network interface name (e.g. {@code wg0}) whose address of the
 *                                 destination's family our sockets bind to; empty for none. At most
 *                                 one of the two is set
 * @param proxy                    the SOCKS5 proxy's host and port (unresolved); empty for none
 * @param proxyUsername            RFC 1929 user name; empty for no authentication
 * @param proxyPassword            RFC 1929 password
 * @param proxyPeerConnectionsOnly only peer connections use the proxy; trackers and the DHT go direct
 */
public record NetworkRoute(String bindAddress, String bindInterface, Optional<InetSocketAddress> proxy,
        String proxyUsername, String proxyPassword, boolean proxyPeerConnectionsOnly) {

    /** What a socket is for: peer connections follow {@code proxyPeerConnectionsOnly}, the rest not. */
    public enum Use { PEER, TRACKER, DHT }

    /** No binding, no proxy: the system chooses. */
    public static final NetworkRoute DIRECT = new NetworkRoute("", "", Optional.empty(), "", "", false);

    public NetworkRoute {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(bindInterface, "bindInterface");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(proxyUsername, "proxyUsername");
        Objects.requireNonNull(proxyPassword, "proxyPassword");
        if (!bindAddress.isEmpty() && !bindInterface.isEmpty()) {
            throw new IllegalArgumentException("set bindAddress or bindInterface, not both");
        }
        if (!bindAddress.isEmpty() && !isIpLiteral(bindAddress)) {
            throw new IllegalArgumentException("bindAddress must be an IP address, not " + bindAddress
                    + " (an interface name goes in bindInterface)");
        }
        if (proxyUsername.length() > 255 || proxyPassword.length() > 255) {
            throw new IllegalArgumentException("RFC 1929 allows at most 255 bytes of user name and of password");
        }
    }

    /**
     * The route configured by the peer wire's keys. {@code proxy} is {@code socks5://HOST:PORT} (or
     * {@code HOST:PORT}); empty for none.
     *
     * @throws IllegalArgumentException naming the bad key
     */
    public static NetworkRoute of(String bindAddress, String bindInterface, String proxy, String proxyUsername,
            String proxyPassword, boolean proxyPeerConnectionsOnly) {
        return new NetworkRoute(bindAddress.trim(), bindInterface.trim(), parseProxy(proxy.trim()), proxyUsername,
                proxyPassword, proxyPeerConnectionsOnly);
    }

    /** The route {@code keys} configure. */
    public static NetworkRoute of(NetworkConfiguration keys) {
        return of(keys.bindAddress(), keys.bindInterface(), keys.proxy(), keys.proxyUsername(), keys.proxyPassword(),
                keys.proxyPeerConnectionsOnly());
    }

    static Optional<InetSocketAddress> parseProxy(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String withScheme = text.contains("://") ? text : "socks5://" + text;
        try {
            URI uri = new URI(withScheme);
            if (!"socks5".equals(uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("proxy: only socks5://HOST:PORT is supported, not " + text);
            }
            if (uri.getHost() == null || uri.getPort() < 1 || uri.getUserInfo() != null
                    || !(uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))) {
                throw new IllegalArgumentException("proxy must be socks5://HOST:PORT (credentials go in proxyUsername "
                        + "and proxyPassword), not " + text);
            }
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                    : uri.getHost();
            return Optional.of(InetSocketAddress.createUnresolved(host, uri.getPort()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("proxy must be socks5://HOST:PORT, not " + text, e);
        }
    }

    /** The proxy a socket for {@code use} goes through, if any. */
    public Optional<InetSocketAddress> proxyFor(Use use) {
        return use == Use.PEER || !proxyPeerConnectionsOnly ? proxy : Optional.empty();
    }

    /**
     * Why UDP for {@code use} is off, if it is: a SOCKS5 proxy carries our TCP connections, and UDP
     * sent beside it would leak our address (UDP ASSOCIATE is not supported).
     */
    public Optional<String> udpRefusal(Use use) {
        return proxyFor(use).map(p -> "off: UDP cannot go through the SOCKS5 proxy " + p.getHostString() + ":"
                + p.getPort() + " (UDP ASSOCIATE is not supported) and is not sent around it"
                + (use == Use.PEER ? "" : "; set proxyPeerConnectionsOnly=true to send it directly"));
    }

    /** Whether our sockets are bound to anything. */
    public boolean bound() {
        return !bindAddress.isEmpty() || !bindInterface.isEmpty();
    }

    /**
     * The local address a socket to {@code destination} binds to: empty when the system may choose,
     * else {@code bindAddress} or the bound interface's address of the destination's family (a
     * global one before a link-local one).
     *
     * @throws RouteDownException when the interface is missing or down, or has no address (or the
     *                            bound address is not) of the destination's family
     */
    public Optional<InetAddress> source(InetAddress destination) throws RouteDownException {
        boolean v6 = destination instanceof Inet6Address;
        if (!bindAddress.isEmpty()) {
            InetAddress bound = literal(bindAddress);
            if ((bound instanceof Inet6Address) != v6 && !bound.isAnyLocalAddress()) {
                throw new RouteDownException("bound to " + bindAddress + ", which cannot reach the IPv" + (v6 ? 6 : 4)
                        + " address " + destination.getHostAddress());
            }
            return bound.isAnyLocalAddress() ? Optional.empty() : Optional.of(bound);
        }
        if (bindInterface.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(interfaceAddress(v6));
    }

    /** The bound interface's address of one family, checked now. */
    public InetAddress interfaceAddress(boolean v6) throws RouteDownException {
        NetworkInterface nic;
        try {
            nic = NetworkInterface.getByName(bindInterface);
            if (nic == null) {
                throw new RouteDownException("interface " + bindInterface + " is missing; nothing is sent until it returns");
            }
            if (!nic.isUp()) {
                throw new RouteDownException("interface " + bindInterface + " is down; nothing is sent until it is up");
            }
        } catch (SocketException e) {
            throw new RouteDownException("interface " + bindInterface + " cannot be read: " + e.getMessage());
        }
        return Collections.list(nic.getInetAddresses()).stream()
                .filter(a -> v6 ? a instanceof Inet6Address : a instanceof Inet4Address)
                .min(Comparator.comparing(InetAddress::isLinkLocalAddress))
                .orElseThrow(() -> new RouteDownException("interface " + bindInterface + " has no IPv" + (v6 ? 6 : 4)
                        + " address"));
    }

    /**
     * Why nothing can leave by this route now, if so: the bound interface is missing, down, or has no
     * address at all. Checked at each call.
     */
    public Optional<String> problem() {
        if (bindInterface.isEmpty()) {
            return Optional.empty();
        }
        try {
            interfaceAddress(false);
            return Optional.empty();
        } catch (RouteDownException noV4) {
            try {
                interfaceAddress(true);
                return Optional.empty();
            } catch (RouteDownException none) {
                return Optional.of(none.getMessage().contains(" has no ") ? "interface " + bindInterface
                        + " has no address; nothing is sent until it has one" : none.getMessage());
            }
        }
    }

    /** {@link #source} as a socket address with any port. */
    public Optional<InetSocketAddress> sourceSocket(InetAddress destination) throws RouteDownException {
        return source(destination).map(a -> new InetSocketAddress(a, 0));
    }

    /** The settings as shown to the user, without the password. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(bindAddress.isEmpty() && bindInterface.isEmpty() ? "any interface"
                : bindInterface.isEmpty() ? "from " + bindAddress : "from interface " + bindInterface);
        proxy.ifPresent(p -> out.append(", SOCKS5 proxy ").append(p.getHostString()).append(':').append(p.getPort())
                .append(proxyUsername.isEmpty() ? "" : " as " + proxyUsername)
                .append(proxyPeerConnectionsOnly ? " for peer connections only" : " for peers and trackers"));
        return out.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    private static boolean isIpLiteral(String text) {
        return text.indexOf(':') >= 0 || text.matches("[0-9.]+");
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip); // an IP literal: no lookup
        } catch (IOException e) {
            throw new IllegalArgumentException("not an IP address: " + ip, e);
        }
    }

    /** Traffic refused because the configured route is not there: never sent another way. */
    public static final class RouteDownException extends IOException {
        private static final long serialVersionUID = 1L;

        public RouteDownException(String message) {
            super(message);
        }
    }
}
