package io.graytorrent.shell.internal;

import io.graytorrent.api.NetworkService;
import io.graytorrent.api.json.NetworkJson;
import io.graytorrent.api.util.NetworkRoute;
import java.util.Map;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code bt:network}: the route our traffic takes (bound address or interface, SOCKS5 proxy), what it keeps
 * off, and the encryption policy peer connections follow.
 */
@Component(service = NetworkCommand.class, property = {"osgi.command.scope=bt", "osgi.command.function=network"})
public final class NetworkCommand {
    private static final String USAGE = "network [--json]";
    /** What each policy of the peer wire's {@code encryption} does, after its name. */
    private static final Map<String, String> ENCRYPTION_MEANS = Map.of(
            "disabled", ": plaintext only",
            "enabled", ": dial plaintext and retry encrypted, accept both",
            "preferred", ": dial encrypted and fall back to plaintext, accept both",
            "required", ": RC4 only, both ways");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile NetworkService network;

    @Descriptor("the network route: bound address or interface and its state, SOCKS5 proxy, UDP kept off: " + USAGE)
    public String network(@Descriptor("[--json]") String... args) {
        Arguments a = new Arguments(args, Set.of("--json"), Map.of());
        a.positionals(0, USAGE);
        NetworkService running = network;
        if (running == null) {
            throw new IllegalStateException("the peer wire is not running");
        }
        NetworkRoute route = running.route();
        String encryption = running.encryption();
        return a.flag("--json") ? JsonOutput.write(NetworkJson.network(route, encryption)) : view(route, encryption);
    }

    static String view(NetworkRoute route, String encryption) {
        return new LabelledLines()
                .add("bound to", route.bindInterface().isEmpty()
                        ? route.bindAddress().isEmpty() ? "any interface" : route.bindAddress()
                        : "interface " + route.bindInterface())
                .add("state", route.problem().orElse(route.bindInterface().isEmpty() ? "up" : "up: sending by it"))
                .add("proxy", route.proxy().map(p -> "SOCKS5 " + p.getHostString() + ":" + p.getPort()
                        + (route.proxyUsername().isEmpty() ? "" : " as " + route.proxyUsername())
                        + (route.proxyPeerConnectionsOnly() ? ", peer connections only" : ", peers, http trackers and web seeds"))
                        .orElse("none"))
                .add("uTP", route.udpRefusal(NetworkRoute.Use.PEER).orElse("on"))
                .add("DHT", route.udpRefusal(NetworkRoute.Use.DHT).orElse("on"))
                .add("udp trackers", route.udpRefusal(NetworkRoute.Use.TRACKER).orElse("on"))
                .add("encryption", encryption + ENCRYPTION_MEANS.getOrDefault(encryption, ""))
                .toString();
    }
}
