package io.graytorrent.core.internal.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.RunningTorrent;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Unit
class PeerSourcesTest {
    private static final InfoHash PUBLIC = InfoHash.parse("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
    private static final InfoHash PRIVATE = InfoHash.parse("0000000000000000000000000000000000000001");
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.5", 6881);

    private final PeerSources sources = new PeerSources();
    private final List<String> found = new ArrayList<>();

    @Test
    void aPrivateTorrentIsToldToTrackersOnlyAndPeersComeBackTaggedWithTheirOrigin() {
        FakePeerSource dht = new FakePeerSource(PeerOrigin.DHT, null);
        FakePeerSource tracker = new FakePeerSource(PeerOrigin.TRACKER, null);
        sources.add(dht);
        sources.add(tracker);
        sources.started(new RunningTorrent(PUBLIC, false, 6881, false), (peer, origin) -> found.add(origin.label()));
        sources.started(new RunningTorrent(PRIVATE, true, 6881, false), (peer, origin) -> found.add("private " + origin.label()));

        assertEquals(List.of(PUBLIC), dht.started);
        assertEquals(List.of(PUBLIC, PRIVATE), tracker.started);
        dht.found.get(0).accept(PEER);
        tracker.found.get(1).accept(PEER);
        assertEquals(List.of("dht", "private tracker"), found);
    }

    @ParameterizedTest
    @EnumSource(value = PeerOrigin.class, names = {"DHT", "PEX", "LSD", "WEBSEED"})
    void noSourceButTrackersHearsOfAPrivateTorrentEvenArrivingLate(PeerOrigin origin) {
        sources.started(new RunningTorrent(PRIVATE, true, 6881, false), (peer, found) -> { });
        FakePeerSource late = new FakePeerSource(origin, null);
        sources.add(late);
        PeerSources.Registration again = sources.started(new RunningTorrent(PRIVATE, true, 6881, true), (peer, found) -> { });
        again.stop();
        assertTrue(late.started.isEmpty() && late.stopped.isEmpty(), origin + " was told of a private torrent");
    }

    @Test
    void aLateSourceHearsOfRunningTorrentsAndAnOldRegistrationDoesNotStopANewerOne() {
        PeerSources.Registration magnet = sources.started(new RunningTorrent(PUBLIC, false, 6881, false), (p, o) -> { });
        PeerSources.Registration torrent = sources.started(new RunningTorrent(PUBLIC, false, 6881, true), (p, o) -> { });
        FakePeerSource late = new FakePeerSource(PeerOrigin.LSD, null);
        sources.add(late);
        assertEquals(List.of(PUBLIC), late.started, "told once, of the newer registration");

        magnet.stop(); // the magnet link's runtime ends after the torrent's began
        assertTrue(late.stopped.isEmpty());
        torrent.stop();
        assertEquals(List.of(PUBLIC), late.stopped);
    }

    @Test
    void aSourceThatThrowsDoesNotStopTheOthers() {
        sources.add(new FakePeerSource(PeerOrigin.PEX, null) {
            @Override
            public void start(RunningTorrent torrent, Consumer<InetSocketAddress> found) {
                throw new IllegalStateException("a broken plugin (logged by design)");
            }
        });
        FakePeerSource working = new FakePeerSource(PeerOrigin.DHT, null);
        sources.add(working);
        sources.started(new RunningTorrent(PUBLIC, false, 6881, false), (p, o) -> { });
        assertEquals(List.of(PUBLIC), working.started);
    }
}
