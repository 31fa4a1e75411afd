package io.graytorrent.core.internal.blocklist;

import io.graytorrent.api.BlocklistService;
import io.graytorrent.api.BlocklistStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The blocklist as an OSGi service, present while {@code io.graytorrent.blocklist.cfg} exists; a changed
 * configuration takes effect at once: the new sources are loaded while the old list stays in force, and
 * the count of refused peers goes on.
 */
@Component(service = BlocklistService.class, immediate = true, configurationPid = "io.graytorrent.blocklist",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = BlocklistConfiguration.class)
public final class BlocklistComponent implements BlocklistService {
    private Blocklist list;

    @Activate
    void activate(BlocklistConfiguration config) {
        list = new Blocklist(sources(config), refresh(config), new BlocklistParser());
    }

    @Modified
    void modified(BlocklistConfiguration config) {
        list.configure(sources(config), refresh(config));
    }

    private static List<String> sources(BlocklistConfiguration config) {
        return Arrays.stream(config.sources()).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static Duration refresh(BlocklistConfiguration config) {
        return Duration.ofMinutes(Math.max(0, config.refreshMinutes()));
    }

    @Deactivate
    void deactivate() {
        list.close();
    }

    @Override
    public boolean blocks(InetAddress address) {
        return list.blocks(address);
    }

    @Override
    public void refused(InetAddress address) {
        list.refused(address);
    }

    @Override
    public BlocklistStatus status() {
        return list.status();
    }

    @Override
    public void addLoadListener(Runnable listener) {
        list.addLoadListener(listener);
    }

    @Override
    public void removeLoadListener(Runnable listener) {
        list.removeLoadListener(listener);
    }
}
