package io.graytorrent.dht.internal;

import io.graytorrent.api.DhtService;
import io.graytorrent.api.DhtStatus;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.PeerSource;
import io.graytorrent.api.RunningTorrent;
import io.graytorrent.api.RuntimeProperties;
import io.graytorrent.udp.DatagramHandler;
import io.graytorrent.udp.DatagramKind;
import io.graytorrent.udp.UdpSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHT plugin: a node on the shared UDP socket (the KRPC {@link DatagramHandler}), a
 * {@link PeerSource} for the engine's public torrents, and the {@link DhtService} that reports on it.
 * It joins through the nodes saved at its last stop and the configured bootstrap nodes, which the
 * {@value RuntimeProperties#DHT_NODES_PROPERTY} framework property ({@code gray get --dht-node})
 * replaces. A configuration change restarts it.
 */
@Component(service = {DatagramHandler.class, PeerSource.class, DhtService.class}, immediate = true,
        configurationPid = "io.graytorrent.dht")
@Designate(ocd = DhtConfiguration.class)
public final class DhtComponent implements DatagramHandler, PeerSource, DhtService {
    private static final Logger LOG = LoggerFactory.getLogger(DhtComponent.class);

    @Reference
    UdpSocket socket;

    /** Null until started: the UDP socket may hand us a datagram before (a stray to a reused port); dropped. */
    private volatile RunningDht dht;

    @Activate
    void activate(DhtConfiguration config, BundleContext context) {
        String override = context.getProperty(RuntimeProperties.DHT_NODES_PROPERTY);
        List<String> bootstrap = bootstrapNodes(override != null ? new String[] {override} : config.bootstrapNodes());
        Path nodesFile = RuntimeProperties.stateDirectory(context::getProperty).resolve(NodesFile.NAME);
        start(socket, DhtSettings.configured(config), nodesFile, bootstrap);
    }

    /**
     * HOST:PORT entries, each entry possibly several separated by commas: a .cfg's plain
     * {@code bootstrapNodes=a:1,b:2} reaches us as one string, as does the {@code --dht-node} override.
     */
    static List<String> bootstrapNodes(String[] entries) {
        return Arrays.stream(entries).flatMap(entry -> Arrays.stream(entry.split(",")))
                .map(String::trim).filter(node -> !node.isEmpty()).toList();
    }

    /** Runs the node on {@code udp}; the activation's work, apart from reading the configuration. */
    void start(UdpSocket udp, DhtSettings settings, Path nodesFile, List<String> bootstrap) {
        socket = udp;
        int ownPort = udp.localAddress().getPort();
        RunningDht running = new RunningDht(settings, (to, datagram) -> udp.send(to, ByteBuffer.wrap(datagram)),
                port -> port == ownPort, nodesFile, () -> resolve(bootstrap));
        dht = running;
        running.begin(); // after: the answers to its first queries find it
    }

    @Deactivate
    void deactivate() {
        dht.close();
    }

    @Override
    public DatagramKind kind() {
        return DatagramKind.KRPC;
    }

    @Override
    public void onDatagram(InetSocketAddress sender, ByteBuffer datagram) {
        RunningDht running = dht;
        if (running == null) {
            return;
        }
        byte[] bytes = new byte[datagram.remaining()];
        datagram.get(bytes);
        running.receive(sender, bytes);
    }

    @Override
    public PeerOrigin origin() {
        return PeerOrigin.DHT;
    }

    @Override
    public void start(RunningTorrent torrent, Consumer<InetSocketAddress> found) {
        dht.start(torrent, found);
    }

    @Override
    public void stop(InfoHash infoHash) {
        dht.stop(infoHash);
    }

    @Override
    public DhtStatus status() {
        return dht.status();
    }

    @Override
    public int port() {
        return socket.localAddress().getPort();
    }

    @Override
    public void nodeOffered(InetSocketAddress node) {
        dht.ping(node);
    }

    @Override
    public void addressReported(InetAddress reporter, InetAddress reported) {
        dht.addressReported(reporter, reported);
    }

    @Override
    public void externalAddressKnown(InetAddress external) {
        dht.externalAddressKnown(external);
    }

    /** HOST:PORT entries that resolve; others are left out with a warning. */
    static List<InetSocketAddress> resolve(List<String> nodes) {
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
            LOG.warn("DHT bootstrap node '{}' is not a resolvable HOST:PORT; left out", node);
        }
        return addresses;
    }
}
