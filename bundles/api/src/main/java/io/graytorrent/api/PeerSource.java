package io.graytorrent.api;

import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way to find peers for running torrents, registered as an OSGi service (a DHT, PEX, LSD or web
 * seed plugin). The engine tells it which torrents run; it hands back the peers it finds, each then
 * tagged with its {@link #origin()}. The engine never tells a source other than a
 * {@link PeerOrigin#TRACKER tracker} of a private torrent (BEP 27), whatever the plugin.
 *
 * <p>Methods are called from engine threads and must not block; {@code found} may be called from
 * any thread until {@link #stop} for that torrent returns.
 */
@ConsumerType
public interface PeerSource {

    /** What this source's peers are tagged with. */
    PeerOrigin origin();

    /**
     * The torrent started running, or changed (it became a seed): look for peers and give each to
     * {@code found}. Called again for a torrent already started when it changed.
     */
    void start(RunningTorrent torrent, Consumer<InetSocketAddress> found);

    /** The torrent stopped or was removed: stop looking and forget its {@code found}. */
    void stop(InfoHash infoHash);
}
