package io.graytorrent.core.internal.hook;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.RuntimeProperties;
import io.graytorrent.api.TorrentLabels;
import io.graytorrent.api.TorrentListener;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.TorrentStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
 * It registers itself as a listener once active, not as a DS service: the engine binds its
 * listeners as it activates, and this component needs the engine first (DS would see a cycle).
 */
@Component(service = {}, immediate = true, configurationPid = "io.graytorrent.hooks")
@Designate(ocd = HookConfiguration.class)
public final class HookComponent implements TorrentListener {
    private static final Logger LOG = LoggerFactory.getLogger(HookComponent.class);
    private static final int MAX_WAITING = 64;

    @Reference
    private TorrentService torrents;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile TorrentLabels labels;

    private HookEvents events;
    private AddedMark mark;
    private int highestAdded;
    private List<String> completedCommand;
    private List<String> addedCommand;
    private Duration timeout;
    private ThreadPoolExecutor pool;
    private ServiceRegistration<TorrentListener> listening;

    @Activate
    void activate(BundleContext context, HookConfiguration config) {
        completedCommand = List.of(config.completedCommand());
        addedCommand = List.of(config.addedCommand());
        timeout = Duration.ofSeconds(Math.max(1, config.timeoutSeconds()));
        int threads = Math.max(1, config.maxConcurrent());
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_WAITING),
                runnable -> new Thread(runnable, "gray hook"));
        pool.allowCoreThreadTimeOut(true);
        mark = new AddedMark(RuntimeProperties.stateDirectory(context::getProperty));
        List<TorrentStatus> present = torrents.list();
        OptionalInt heard = mark.read();
        int upTo = heard.orElse(present.stream().mapToInt(TorrentStatus::id).max().orElse(0));
        if (heard.isEmpty()) {
            mark.write(upTo);
        }
        highestAdded = upTo;
        events = new HookEvents(upTo);
        // added while nobody listened: by the watch folder as the server started
        present.stream().filter(status -> status.id() > upTo).forEach(this::statusChanged);
        listening = context.registerService(TorrentListener.class, this, null);
    }

    @Deactivate
    void deactivate() {
        listening.unregister();
        pool.shutdownNow();
    }

    /** Synchronized: the engine's event thread, and activation for what was added before it. */
    @Override
    public synchronized void statusChanged(TorrentStatus status) {
        for (HookEvent event : events.events(status)) {
            if (event.kind() == HookEvent.Kind.ADDED && status.id() > highestAdded) {
                highestAdded = status.id();
                mark.write(highestAdded);
            }
            List<String> command = event.kind() == HookEvent.Kind.ADDED ? addedCommand : completedCommand;
            if (!command.isEmpty()) {
                submit(command, event);
            }
        }
    }

    @Override
    public synchronized void removed(int id, InfoHash infoHash) {
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
