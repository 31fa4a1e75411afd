package io.graytorrent.shell.internal;

import io.graytorrent.api.PortMappingService;
import io.graytorrent.api.PortMappingStatus;
import io.graytorrent.api.json.NetworkJson;
import java.util.Map;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code bt:portmap}: our listen port's mapping on the gateway, while the port mapping plugin runs. */
@Component(service = PortmapCommand.class, property = {"osgi.command.scope=bt", "osgi.command.function=portmap"})
public final class PortmapCommand {
    private static final String USAGE = "portmap [--json|--line]";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile PortMappingService portMapping;

    @Descriptor("the listen port's mapping on the gateway (UPnP IGD, NAT-PMP): " + USAGE)
    public String portmap(@Descriptor("[--json|--line]") String... args) {
        Arguments a = new Arguments(args, Set.of("--json", "--line"), Map.of());
        a.positionals(0, USAGE);
        PortMappingService running = portMapping;
        if (running == null) {
            throw new IllegalStateException("port mapping is not running: its plugin (graytorrent-portmap.jar) is not installed");
        }
        PortMappingStatus status = running.status();
        return a.flag("--json") ? JsonOutput.write(NetworkJson.portMapping(status))
                : a.flag("--line") ? line(status) : view(status);
    }

    /** One line, as {@code gray server status} shows it. */
    static String line(PortMappingStatus s) {
        if (s.mappings().isEmpty()) {
            return "port mapping: none" + (s.lastError().isEmpty() ? " yet" : " (" + s.lastError() + ")");
        }
        return "port mapping: " + String.join(", ", s.mappings()) + " by " + s.protocol() + " on " + s.gateway()
                + (s.externalAddress().isEmpty() ? "" : ", external address " + s.externalAddress());
    }

    static String view(PortMappingStatus s) {
        return new LabelledLines()
                .add("protocol", s.protocol().isEmpty() ? "none" : s.protocol())
                .add("gateway", s.gateway().isEmpty() ? "none found" : s.gateway())
                .add("external address", s.externalAddress().isEmpty() ? "not known" : s.externalAddress())
                .add("mappings", s.mappings().isEmpty() ? "none" : String.join(", ", s.mappings()))
                .add("renewed at", s.renewAt().isEmpty() ? "-" : s.renewAt())
                .add("last error", s.lastError().isEmpty() ? "none" : s.lastError())
                .toString();
    }
}
