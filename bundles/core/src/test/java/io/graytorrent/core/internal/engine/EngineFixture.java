package io.graytorrent.core.internal.engine;

import io.graytorrent.core.internal.config.EngineSettings;
import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.core.internal.tracker.TrackerClients;
import io.graytorrent.peerwire.ExtensionRegistry;
import io.graytorrent.peerwire.PeerWire;
import io.graytorrent.peerwire.PeerWireSettings;
import io.graytorrent.storage.StorageConfig;
import io.graytorrent.storage.StorageService;
import io.graytorrent.storage.Storages;
import io.graytorrent.testkit.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** A whole engine without OSGi, as a program embeds it: storage, engine, peer wire on 127.0.0.1. */
final class EngineFixture implements AutoCloseable {
    final Path stateDirectory;
    final StorageService storage;
    final Engine engine;
    final PeerWire wire;

    EngineFixture(Path stateDirectory, EngineSettings settings) throws IOException {
        this(stateDirectory, settings, new TrackerClients());
    }

    EngineFixture(Path stateDirectory, EngineSettings settings, TrackerClients trackerClients) throws IOException {
        this(stateDirectory, settings, trackerClients, PeerWireSettings.defaults().listeningOn("127.0.0.1", 0));
    }

    EngineFixture(Path stateDirectory, EngineSettings settings, TrackerClients trackerClients,
            PeerWireSettings wireSettings) throws IOException {
        this.stateDirectory = stateDirectory;
        this.storage = Storages.create(StorageConfig.defaults(stateDirectory));
        this.engine = new Engine(settings, stateDirectory, storage, trackerClients);
        ExtensionRegistry extensions = new ExtensionRegistry();
        extensions.register(engine.metadataExtension());
        this.wire = PeerWire.start(wireSettings, engine, extensions);
        engine.start(wire);
    }

    EngineFixture(Path stateDirectory) throws IOException {
        this(stateDirectory, EngineSettings.defaults(stateDirectory.resolve("downloads")));
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", wire.listenAddress().getPort());
    }

    TorrentStatus add(byte[] torrent, Path saveDirectory, InetSocketAddress... peers) throws TorrentException {
        return engine.add(new AddTorrent(torrent, saveDirectory, false, List.of(peers)));
    }

    /** Polls the torrent's status until {@code condition} holds; fails with the last status after {@code timeout}. */
    TorrentStatus await(int id, Predicate<TorrentStatus> condition, Duration timeout) throws Exception {
        return Await.value("torrent " + id + "'s awaited status", timeout, () -> engine.status(Integer.toString(id)),
                condition);
    }

    static Predicate<TorrentStatus> seeding() {
        return status -> status.state() == TorrentState.SEEDING;
    }

    @Override
    public void close() {
        engine.close();
        wire.close();
        storage.close();
    }
}
