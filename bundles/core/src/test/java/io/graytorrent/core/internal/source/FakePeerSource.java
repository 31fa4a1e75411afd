package io.graytorrent.core.internal.source;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.PeerSource;
import io.graytorrent.api.RunningTorrent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A peer source plugin faked in-process: it records what the engine tells it and hands back {@code peer}, if any. */
public class FakePeerSource implements PeerSource {
    public final List<InfoHash> started = new CopyOnWriteArrayList<>();
    public final List<Consumer<InetSocketAddress>> found = new CopyOnWriteArrayList<>();
    public final List<InfoHash> stopped = new CopyOnWriteArrayList<>();
    private final PeerOrigin origin;
    private final InetSocketAddress peer;

    public FakePeerSource(PeerOrigin origin, InetSocketAddress peer) {
        this.origin = origin;
        this.peer = peer;
    }

    /** Whether the engine told it of {@code infoHash} within {@code timeout}. */
    public boolean awaitStarted(InfoHash infoHash, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!started.contains(infoHash) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return started.contains(infoHash);
    }

    @Override
    public PeerOrigin origin() {
        return origin;
    }

    @Override
    public void start(RunningTorrent torrent, Consumer<InetSocketAddress> found) {
        started.add(torrent.infoHash());
        this.found.add(found);
        if (peer != null) {
            found.accept(peer);
        }
    }

    @Override
    public void stop(InfoHash infoHash) {
        stopped.add(infoHash);
    }
}
