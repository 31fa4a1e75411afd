package io.graytorrent.dht.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Interim: runs a {@link DhtNode} on its own UDP socket when {@code port} is set, so that it can be
 * tried against other DHT implementations. It is no peer source yet; the engine's shared socket on
 * the listen port and the PeerSource seam replace this (issue 16).
 */
@Component(service = {}, immediate = true, configurationPid = "io.graytorrent.dht")
@Designate(ocd = DhtConfiguration.class)
public final class DhtComponent implements AutoCloseable {
    private final UdpDhtEndpoint endpoint;

    @Activate
    public DhtComponent(DhtConfiguration config) throws IOException {
        this(config.port(), config.bindAddress(), List.of(config.bootstrapNodes()));
    }

    DhtComponent(int port, String bindAddress, List<String> bootstrapNodes) throws IOException {
        if (port <= 0) {
            endpoint = null;
            return;
        }
        SecureRandom random = new SecureRandom();
        endpoint = new UdpDhtEndpoint(new InetSocketAddress(bindAddress, port),
                transport -> new DhtNode(NodeId.random(random), DhtSettings.DEFAULT, System::nanoTime, random, transport));
        List<InetSocketAddress> routers = parse(bootstrapNodes);
        endpoint.execute(() -> endpoint.nodeForTheOwningThread().bootstrap(routers));
    }

    /** The running endpoint, if the configuration turned it on. */
    Optional<UdpDhtEndpoint> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    /** HOST:PORT entries that resolve; others are left out with a warning. */
    private static List<InetSocketAddress> parse(List<String> nodes) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String node : nodes) {
            int colon = node.lastIndexOf(':');
            try {
                InetSocketAddress address = new InetSocketAddress(node.substring(0, colon).replaceAll("^\\[|\\]$", ""),
                        Integer.parseInt(node.substring(colon + 1)));
                if (!address.isUnresolved()) {
                    addresses.add(address);
                    continue;
                }
            } catch (RuntimeException e) {
                // reported below
            }
            System.getLogger(DhtComponent.class.getName()).log(System.Logger.Level.WARNING,
                    "DHT bootstrap node ''{0}'' is not a resolvable HOST:PORT; left out", node);
        }
        return addresses;
    }

    @Deactivate
    @Override
    public void close() throws IOException {
        if (endpoint != null) {
            endpoint.close();
        }
    }
}
