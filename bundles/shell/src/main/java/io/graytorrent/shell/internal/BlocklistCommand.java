package io.graytorrent.shell.internal;

import io.graytorrent.api.BlocklistService;
import io.graytorrent.api.BlocklistStatus;
import io.graytorrent.api.json.NetworkJson;
import java.util.Map;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code bt:blocklist}: the IP blocklist in force and the peers it refused, while one is configured. */
@Component(service = BlocklistCommand.class, property = {"osgi.command.scope=bt", "osgi.command.function=blocklist"})
public final class BlocklistCommand {
    private static final String USAGE = "blocklist [--json]";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile BlocklistService blocklist;

    @Descriptor("the IP blocklist: sources, ranges loaded, lines skipped, peers refused: " + USAGE)
    public String blocklist(@Descriptor("[--json]") String... args) {
        Arguments a = new Arguments(args, Set.of("--json"), Map.of());
        a.positionals(0, USAGE);
        BlocklistService list = blocklist;
        if (list == null) {
            throw new IllegalStateException("no blocklist: none is configured (conf/io.graytorrent.blocklist.cfg)");
        }
        BlocklistStatus status = list.status();
        return a.flag("--json") ? JsonOutput.write(NetworkJson.blocklist(status)) : view(status);
    }

    static String view(BlocklistStatus s) {
        return new LabelledLines()
                .add("sources", s.sources().isEmpty() ? "none" : String.join(", ", s.sources()))
                .add("ranges", s.ipv4Ranges() + " IPv4, " + s.ipv6Ranges() + " IPv6")
                .add("loaded", s.loadedAt().isEmpty() ? "not yet" : s.loadedAt() + " from " + s.linesRead() + " lines ("
                        + s.linesSkipped() + " skipped)")
                .add("last error", s.lastError().isEmpty() ? "none" : s.lastError())
                .add("refused", s.refused() + " peers")
                .toString();
    }
}
