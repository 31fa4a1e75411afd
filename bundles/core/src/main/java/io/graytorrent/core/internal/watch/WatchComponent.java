package io.graytorrent.core.internal.watch;

import io.graytorrent.api.TorrentService;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the watch directory every {@code pollSeconds} while one is configured; a change of
 * configuration restarts it. Off by default.
 */
@Component(service = {}, immediate = true, configurationPid = "io.graytorrent.watch")
@Designate(ocd = WatchConfiguration.class)
public final class WatchComponent {
    private static final Logger LOG = LoggerFactory.getLogger(WatchComponent.class);

    @Reference
    private TorrentService torrents;

    private ScheduledExecutorService timer;

    @Activate
    void activate(WatchConfiguration config) {
        if (config.watchDirectory().isBlank()) {
            return;
        }
        Path directory = Path.of(config.watchDirectory());
        if (!directory.isAbsolute() || (!config.saveDirectory().isBlank() && !Path.of(config.saveDirectory()).isAbsolute())) {
            LOG.error("watch folder off: watchDirectory and saveDirectory must be absolute paths");
            return;
        }
        WatchFolder folder = new WatchFolder(directory,
                config.saveDirectory().isBlank() ? null : Path.of(config.saveDirectory()), config.paused(), torrents);
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "gray watch folder"));
        long period = Math.max(1, config.pollSeconds());
        timer.scheduleWithFixedDelay(() -> {
            try {
                folder.poll();
            } catch (RuntimeException e) {
                // a failed look must not end the looking (the timer drops a task that throws)
                LOG.error("watch folder: a look at {} failed", directory, e);
            }
        }, 0, period, TimeUnit.SECONDS);
        LOG.info("watching {} for .torrent and .magnet files every {} s", directory, period);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
