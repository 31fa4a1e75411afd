package io.graytorrent.core.internal.watch;

import io.graytorrent.api.RuntimeProperties;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.WatchFolderService;
import io.graytorrent.api.WatchFolderSettings;
import io.graytorrent.api.util.LaterChangeWins;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the watch directory every {@code pollSeconds} while one is set; a change of configuration
 * restarts it. Off by default. Its directory, save directory and {@code paused} can also be set through
 * the API ({@link WatchFolderService}): per key the later change wins over the configuration
 * ({@link LaterChangeWins}, kept in {@code state/watch-settings}), and a change starts the looking anew.
 */
@Component(service = WatchFolderService.class, immediate = true, configurationPid = "io.graytorrent.watch")
@Designate(ocd = WatchConfiguration.class)
public final class WatchComponent implements WatchFolderService {
    private static final Logger LOG = LoggerFactory.getLogger(WatchComponent.class);
    private static final String DIRECTORY = "watchDirectory";
    private static final String SAVE_DIRECTORY = "saveDirectory";
    private static final String PAUSED = "paused";

    @Reference
    private TorrentService torrents;

    private WatchConfiguration config;
    private LaterChangeWins apiValues;
    /** Guarded by this. */
    private WatchFolderSettings settings;
    private ScheduledExecutorService timer;

    @Activate
    synchronized void activate(BundleContext context, WatchConfiguration config) throws InterruptedException {
        this.config = config;
        apiValues = new LaterChangeWins(RuntimeProperties.stateDirectory(context::getProperty).resolve("watch-settings"),
                "io.graytorrent.watch");
        WatchFolderSettings resolved;
        try {
            resolved = settings(apiValues.resolve(configured(config)));
        } catch (IllegalArgumentException e) {
            LOG.error("watch folder off: {}", e.getMessage());
            resolved = new WatchFolderSettings("", "", config.paused());
        }
        watch(resolved);
    }

    @Override
    public synchronized WatchFolderSettings settings() {
        return settings;
    }

    @Override
    public synchronized WatchFolderSettings update(WatchFolderSettings wanted) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(DIRECTORY, wanted.watchDirectory());
        values.put(SAVE_DIRECTORY, wanted.saveDirectory());
        values.put(PAUSED, Boolean.toString(wanted.paused()));
        WatchFolderSettings inForce = settings(apiValues.set(configured(config), values));
        if (!inForce.equals(settings)) {
            try {
                watch(inForce);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the watch folder stopped", e);
            }
        }
        return settings;
    }

    private static Map<String, String> configured(WatchConfiguration config) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(DIRECTORY, config.watchDirectory().trim());
        values.put(SAVE_DIRECTORY, config.saveDirectory().trim());
        values.put(PAUSED, Boolean.toString(config.paused()));
        return values;
    }

    private static WatchFolderSettings settings(Map<String, String> values) {
        return new WatchFolderSettings(values.get(DIRECTORY), values.get(SAVE_DIRECTORY), Boolean.parseBoolean(values.get(PAUSED)));
    }

    /** Stops the looking there is, starts it with {@code wanted} when on. */
    private void watch(WatchFolderSettings wanted) throws InterruptedException {
        stop();
        settings = wanted;
        if (!wanted.on()) {
            return;
        }
        Path directory = Path.of(wanted.watchDirectory());
        WatchFolder folder = new WatchFolder(directory,
                wanted.saveDirectory().isEmpty() ? null : Path.of(wanted.saveDirectory()), wanted.paused(), torrents);
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

    private void stop() throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(10, TimeUnit.SECONDS);
            timer = null;
        }
    }

    @Deactivate
    synchronized void deactivate() throws InterruptedException {
        stop();
    }
}
