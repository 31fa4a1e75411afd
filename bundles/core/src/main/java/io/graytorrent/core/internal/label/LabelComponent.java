package io.graytorrent.core.internal.label;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.RuntimeProperties;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentLabels;
import io.graytorrent.api.TorrentListener;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.TorrentStatus;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TorrentLabels} over the engine's torrents: labels held in memory, written beside each
 * torrent's record in the state directory on every change, and dropped when the torrent is
 * removed (heard as a {@link TorrentListener}, registered once active rather than as a DS service,
 * which DS would see as a cycle with the engine; labels of torrents gone while it was not listening
 * are dropped at activation).
 */
@Component(service = TorrentLabels.class, immediate = true)
public final class LabelComponent implements TorrentLabels, TorrentListener {
    private static final Logger LOG = LoggerFactory.getLogger(LabelComponent.class);

    @Reference
    private TorrentService torrents;

    private final Map<Integer, SortedSet<String>> labels = new ConcurrentHashMap<>();
    private LabelFiles files;
    private ServiceRegistration<TorrentListener> listening;

    @Activate
    void activate(BundleContext context) throws IOException {
        files = new LabelFiles(RuntimeProperties.stateDirectory(context::getProperty));
        labels.putAll(files.loadAll());
        Set<Integer> present = torrents.list().stream().map(TorrentStatus::id).collect(Collectors.toSet());
        for (Integer id : Set.copyOf(labels.keySet())) {
            if (!present.contains(id)) {
                forget(id);
            }
        }
        listening = context.registerService(TorrentListener.class, this, null);
    }

    @Deactivate
    void deactivate() {
        listening.unregister();
    }

    @Override
    public SortedSet<String> labels(int id) {
        return labels.getOrDefault(id, Collections.emptySortedSet());
    }

    @Override
    public synchronized SortedSet<String> change(String ref, Set<String> add, Set<String> remove)
            throws TorrentException {
        int id = torrents.status(ref).id();
        SortedSet<String> changed = new TreeSet<>(labels(id));
        changed.removeAll(remove);
        changed.addAll(add);
        try {
            changed = Collections.unmodifiableSortedSet(Labels.checked(changed));
        } catch (IllegalArgumentException e) {
            throw new TorrentException(TorrentException.Kind.INVALID_INPUT, e.getMessage());
        }
        try {
            files.save(id, changed);
        } catch (IOException e) {
            throw new TorrentException(TorrentException.Kind.FAILED, "cannot write the labels of torrent " + id, e);
        }
        if (changed.isEmpty()) {
            labels.remove(id);
        } else {
            labels.put(id, changed);
        }
        return changed;
    }

    @Override
    public void statusChanged(TorrentStatus status) {
        // labels change only through change(); removal is what matters here
    }

    @Override
    public void removed(int id, InfoHash infoHash) {
        forget(id);
    }

    private synchronized void forget(int id) {
        labels.remove(id);
        try {
            files.delete(id);
        } catch (IOException e) {
            LOG.warn("cannot delete the labels of removed torrent {}: {}", id, e.getMessage());
        }
    }
}
