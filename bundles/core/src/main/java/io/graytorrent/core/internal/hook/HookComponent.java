package io.graytorrent.core.internal.hook;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.TorrentLabels;
import io.graytorrent.api.TorrentListener;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.TorrentStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured hook programs when torrents complete or are added, hearing of them as a
 * {@link TorrentListener}. Programs run on a small pool of their own, never on the engine's event
 * thread; a change of configuration restarts the component (running hooks finish or are killed).
 */
@Component(service = TorrentListener.class, immediate = true, configurationPid = "io.graytorrent.hooks")
@Designate(ocd = HookConfiguration.class)
public final class HookComponent implements TorrentListener {
    private static final Logger LOG = LoggerFactory.getLogger(HookComponent.class);
    private static final int MAX_WAITING = 64;

    @Reference
    private TorrentService torrents;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile TorrentLabels labels;

    private HookEvents events;
    private List<String> completedCommand;
    private List<String> addedCommand;
    private Duration timeout;
    private ThreadPoolExecutor pool;

    @Activate
    void activate(HookConfiguration config) {
        completedCommand = List.of(config.completedCommand());
        addedCommand = List.of(config.addedCommand());
        timeout = Duration.ofSeconds(Math.max(1, config.timeoutSeconds()));
        int threads = Math.max(1, config.maxConcurrent());
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_WAITING),
                runnable -> new Thread(runnable, "gray hook"));
        pool.allowCoreThreadTimeOut(true);
        events = new HookEvents(torrents.list().stream().mapToInt(TorrentStatus::id).max().orElse(0));
    }

    @Deactivate
    void deactivate() {
        pool.shutdownNow();
    }

    @Override
    public void statusChanged(TorrentStatus status) {
        for (HookEvent event : events.events(status)) {
            List<String> command = event.kind() == HookEvent.Kind.ADDED ? addedCommand : completedCommand;
            if (!command.isEmpty()) {
                submit(command, event);
            }
        }
    }

    @Override
    public void removed(int id, InfoHash infoHash) {
        events.removed(id);
    }

    private void submit(List<String> command, HookEvent event) {
        try {
            TorrentLabels service = labels;
            Map<String, String> environment = event.environment(
                    service == null ? Set.of() : service.labels(event.torrent().id()));
            pool.execute(() -> run(command, event, environment));
        } catch (RejectedExecutionException e) {
            LOG.warn("hook {} for torrent {} dropped: {} hooks wait already", command.get(0), event.torrent().id(),
                    MAX_WAITING);
        }
    }

    private void run(List<String> command, HookEvent event, Map<String, String> environment) {
        try {
            HookRunner.Outcome outcome = HookRunner.run(command, environment, timeout);
            LOG.info("hook {} for torrent {} ({}) {}", command.get(0), event.torrent().id(),
                    event.kind().name().toLowerCase(Locale.ROOT),
                    outcome.killed() ? "killed at its time limit" : "exited with " + outcome.exitCode());
        } catch (IOException e) {
            LOG.warn("hook {} for torrent {} could not start: {}", command.get(0), event.torrent().id(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
