package io.graytorrent.shell.internal;

import io.graytorrent.api.DhtService;
import io.graytorrent.api.DhtStatus;
import io.graytorrent.api.json.DhtJson;
import java.util.Map;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code bt:dht}: what the DHT node knows and does, while the DHT plugin runs. */
@Component(service = DhtCommand.class, property = {"osgi.command.scope=bt", "osgi.command.function=dht"})
public final class DhtCommand {
    private static final String USAGE = "dht [--json]";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DhtService dht;

    @Descriptor("the DHT node: id, routing tables, lookups, stored peers, traffic: " + USAGE)
    public String dht(@Descriptor("[--json]") String... args) {
        Arguments a = new Arguments(args, Set.of("--json"), Map.of());
        a.positionals(0, USAGE);
        DhtService running = dht;
        if (running == null) {
            throw new IllegalStateException("the DHT is not running: its plugin (graytorrent-dht.jar) is not installed");
        }
        DhtStatus status = running.status();
        return a.flag("--json") ? JsonOutput.write(DhtJson.dht(status)) : view(status);
    }

    static String view(DhtStatus s) {
        return new LabelledLines()
                .add("node id", s.nodeId())
                .add("external address", s.externalAddress().isEmpty() ? "not known yet" : s.externalAddress())
                .add("IPv4 nodes", table(s.ipv4()))
                .add("IPv6 nodes", table(s.ipv6()))
                .add("torrents", s.torrents() + " looked up; " + s.lookupsStarted() + " lookups started, "
                        + s.lookupsRunning() + " running")
                .add("stored", s.storedPeers() + " peers for " + s.storedInfoHashes() + " infohashes")
                .add("packets", s.packetsIn() + " in, " + s.packetsOut() + " out (" + Sizes.format(s.bytesOut()) + ")")
                .add("dropped", s.droppedIn() + " in (rate-limited IPs), " + s.droppedOut() + " out (rate limit), "
                        + s.malformedIn() + " malformed, " + s.unexpectedIn() + " unexpected answers")
                .add("lookups", s.lookupsDone() + " done, of every kind")
                .add("announces", s.announcesSent() + " sent, " + s.announcesQueued() + " held back for the rate, "
                        + s.announcesGivenUp() + " given up")
                .toString();
    }

    private static String table(DhtStatus.Table t) {
        return t.nodes() + " (" + t.good() + " good, " + t.questionable() + " questionable) in "
                + t.buckets().size() + (t.buckets().size() == 1 ? " bucket" : " buckets");
    }
}
