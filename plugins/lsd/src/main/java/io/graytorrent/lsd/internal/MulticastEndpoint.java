package io.graytorrent.lsd.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LSD sockets: one per multicast group (IPv4 239.192.152.143, IPv6 ff15::efc0:988f), bound to
 * port 6771 with SO_REUSEADDR (other clients on the host bind it too), joined on the interfaces the
 * peer wire listens on: the one holding its bind address, or every interface that is up when it
 * listens on all of them. Announces go out on each of those interfaces; a thread per socket reads
 * what arrives and hands it on.
 */
final class MulticastEndpoint implements AutoCloseable {
    static final int PORT = 6771;
    private static final Logger LOG = LoggerFactory.getLogger(MulticastEndpoint.class);

    /** Where a datagram goes that arrived: {@code length} bytes of {@code datagram} (more than the limit if it was cut). */
    @FunctionalInterface
    interface Receiver {
        void received(InetAddress from, byte[] datagram, int length);
    }

    /** A BEP 14 multicast group and the Host header an announce to it carries. */
    enum Group {
        IPV4("239.192.152.143", "239.192.152.143:6771", "0.0.0.0", StandardProtocolFamily.INET, Inet4Address.class),
        IPV6("ff15::efc0:988f", "[ff15::efc0:988f]:6771", "::", StandardProtocolFamily.INET6, Inet6Address.class);

        final InetSocketAddress address;
        final String host;
        final String wildcard;
        final ProtocolFamily family;
        final Class<? extends InetAddress> addressType;

        Group(String ip, String host, String wildcard, ProtocolFamily family, Class<? extends InetAddress> addressType) {
            this.address = new InetSocketAddress(ip, PORT);
            this.host = host;
            this.wildcard = wildcard;
            this.family = family;
            this.addressType = addressType;
        }
    }

    private record Socket(Group group, DatagramChannel channel, List<NetworkInterface> interfaces) {
    }

    private final List<Socket> sockets;
    private final List<Thread> readers = new ArrayList<>();

    private MulticastEndpoint(List<Socket> sockets) {
        this.sockets = sockets;
    }

    /**
     * Opens the groups that {@code bindAddress} (the peer wire's) calls for: both on every interface
     * for a wildcard address, else its own family on its own interface. A group that cannot be
     * opened or joined anywhere is left out with a log line; the endpoint may end up with none.
     */
    static MulticastEndpoint open(InetAddress bindAddress, int ttl, Receiver receiver) {
        List<Socket> sockets = new ArrayList<>();
        for (Group group : Group.values()) {
            if (bindAddress.isAnyLocalAddress() || group.addressType.isInstance(bindAddress)) {
                Socket socket = open(group, interfaces(bindAddress, group), ttl);
                if (socket != null) {
                    sockets.add(socket);
                }
            }
        }
        MulticastEndpoint endpoint = new MulticastEndpoint(List.copyOf(sockets));
        for (Socket socket : sockets) {
            Thread reader = new Thread(() -> endpoint.read(socket, receiver), "graytorrent-lsd-" + socket.group().name().toLowerCase(Locale.ROOT));
            reader.setDaemon(true);
            endpoint.readers.add(reader);
            reader.start();
        }
        return endpoint;
    }

    /** The groups joined and the interfaces of each, for the log. */
    @Override
    public String toString() {
        return sockets.stream().map(s -> s.group().host + " on " + s.interfaces().stream().map(NetworkInterface::getName).toList())
                .toList().toString();
    }

    boolean isEmpty() {
        return sockets.isEmpty();
    }

    /** Sends {@code message} to every group on every interface; failures are logged, never thrown. */
    void send(LsdMessage message) {
        for (Socket socket : sockets) {
            ByteBuffer datagram = ByteBuffer.wrap(message.encode(socket.group().host));
            for (NetworkInterface networkInterface : socket.interfaces()) {
                try {
                    socket.channel().setOption(StandardSocketOptions.IP_MULTICAST_IF, networkInterface);
                    socket.channel().send(datagram.rewind(), socket.group().address);
                } catch (IOException e) {
                    LOG.debug("LSD announce to {} on {} failed: {}", socket.group().host, networkInterface.getName(), e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        for (Socket socket : sockets) {
            try {
                socket.channel().close();
            } catch (IOException e) {
                LOG.debug("closing the LSD socket for {}: {}", socket.group().host, e.toString());
            }
        }
        for (Thread reader : readers) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void read(Socket socket, Receiver receiver) {
        ByteBuffer buffer = ByteBuffer.allocate(LsdMessage.MAX_DATAGRAM + 1);
        while (socket.channel().isOpen()) {
            try {
                buffer.clear();
                InetSocketAddress from = (InetSocketAddress) socket.channel().receive(buffer);
                if (from != null && from.getAddress() != null) {
                    receiver.received(from.getAddress(), buffer.array(), buffer.position());
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debug("LSD socket for {}: {}", socket.group().host, e.toString());
            }
        }
    }

    /** The interfaces that are up and hold an address of the group's family: all, or the one holding {@code bindAddress}. */
    private static List<NetworkInterface> interfaces(InetAddress bindAddress, Group group) {
        List<NetworkInterface> chosen = new ArrayList<>();
        try {
            List<NetworkInterface> candidates = bindAddress.isAnyLocalAddress()
                    ? Collections.list(NetworkInterface.getNetworkInterfaces())
                    : nullable(NetworkInterface.getByInetAddress(bindAddress));
            for (NetworkInterface candidate : candidates) {
                if (candidate.isUp() && candidate.inetAddresses().anyMatch(group.addressType::isInstance)) {
                    chosen.add(candidate);
                }
            }
        } catch (SocketException e) {
            LOG.warn("LSD cannot list the network interfaces: {}", e.toString());
        }
        return chosen;
    }

    private static List<NetworkInterface> nullable(NetworkInterface networkInterface) {
        return networkInterface == null ? List.of() : List.of(networkInterface);
    }

    private static Socket open(Group group, List<NetworkInterface> interfaces, int ttl) {
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open(group.family)
                    .setOption(StandardSocketOptions.SO_REUSEADDR, true)
                    .setOption(StandardSocketOptions.IP_MULTICAST_TTL, ttl)
                    .setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true); // other clients on this host hear us
            channel.bind(new InetSocketAddress(group.wildcard, PORT));
            List<NetworkInterface> joined = new ArrayList<>();
            for (NetworkInterface networkInterface : interfaces) {
                try {
                    channel.join(group.address.getAddress(), networkInterface);
                    joined.add(networkInterface);
                } catch (IOException | UnsupportedOperationException e) {
                    LOG.debug("LSD cannot join {} on {}: {}", group.host, networkInterface.getName(), e.toString());
                }
            }
            if (joined.isEmpty()) {
                LOG.info("LSD: no interface joined {}; not announcing there", group.host);
                channel.close();
                return null;
            }
            return new Socket(group, channel, List.copyOf(joined));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("LSD: cannot open {} ({}); not announcing there", group.host, e.toString());
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            return null;
        }
    }
}
