package io.graytorrent.control.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.DhtService;
import io.graytorrent.api.DhtStatus;
import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.PeerStatus;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.storage.StorageConfig;
import io.graytorrent.storage.StorageService;
import io.graytorrent.storage.Storages;
import io.graytorrent.testkit.Unit;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

@Unit
class MetricsRoutesTest {
    private static TorrentStatus status(int id, TorrentState state, int peers) {
        return new TorrentStatus(id, InfoHash.parse("%040x".formatted(id)), "t" + id, Path.of("/data"), state, 1000,
                800, 200, 100, 5, 300, 40, peers, 0, OptionalLong.empty(), Optional.empty());
    }

    private static PeerStatus peer(PeerOrigin source, String encryption, boolean outgoing) {
        return new PeerStatus(new InetSocketAddress("127.0.0.1", 6881), "", outgoing, 0.5, 0, 0, 0, 0, "", encryption,
                source);
    }

    /** An engine answering only what a scrape asks: the list and each torrent's peers. */
    private static TorrentService engine(List<TorrentStatus> torrents, Map<String, List<PeerStatus>> peers) {
        return (TorrentService) Proxy.newProxyInstance(TorrentService.class.getClassLoader(),
                new Class<?>[] {TorrentService.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "list" -> torrents;
                    case "peers" -> peers.getOrDefault((String) args[0], List.of());
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void countsTorrentsByStateAndPeersBySourceEncryptionAndDirection() {
        TorrentService engine = engine(
                List.of(status(1, TorrentState.DOWNLOADING, 2), status(2, TorrentState.SEEDING, 1),
                        status(3, TorrentState.DOWNLOADING, 0)),
                Map.of("1", List.of(peer(PeerOrigin.TRACKER, "rc4", true), peer(PeerOrigin.DHT, "plaintext", true)),
                        "2", List.of(peer(PeerOrigin.INCOMING, "plaintext", false))));
        String text = new MetricsRoutes(() -> engine).scrape();
        assertTrue(text.contains("graytorrent_engine_up 1\n"), text);
        assertTrue(text.contains("graytorrent_torrents{state=\"downloading\"} 2\n"), text);
        assertTrue(text.contains("graytorrent_torrents{state=\"seeding\"} 1\n"), text);
        assertTrue(text.contains("graytorrent_torrents{state=\"stopped\"} 0\n"), text);
        assertTrue(text.contains("graytorrent_download_rate_bytes 300\n"), text);
        assertTrue(text.contains("graytorrent_uploaded_bytes_total 120\n"), text);
        assertTrue(text.contains("graytorrent_peers_by_source{source=\"tracker\"} 1\n"), text);
        assertTrue(text.contains("graytorrent_peers_by_source{source=\"incoming\"} 1\n"), text);
        assertTrue(text.contains("graytorrent_peers_by_encryption{encryption=\"plaintext\"} 2\n"), text);
        assertTrue(text.contains("graytorrent_peers_by_direction{direction=\"outgoing\"} 2\n"), text);
        assertTrue(text.contains("# TYPE graytorrent_uploaded_bytes_total counter\n"), text);
    }

    @Test
    void withoutAnEngineTheFamiliesStayWithZeros() {
        String text = new MetricsRoutes(() -> null).scrape();
        assertTrue(text.contains("graytorrent_engine_up 0\n"), text);
        assertTrue(text.contains("graytorrent_torrents{state=\"downloading\"} 0\n"), text);
        assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\"} "), text);
    }

    @Test
    void labelValuesAreEscapedAndNamesChecked() {
        String text = new PrometheusText().family("x", "gauge", "help")
                .sample("x", Map.of("l", "a\"b\\c\nd"), 1.5).toString();
        assertEquals("# HELP x help\n# TYPE x gauge\nx{l=\"a\\\"b\\\\c\\nd\"} 1.5\n", text);
        assertThrows(IllegalArgumentException.class, () -> new PrometheusText().family("bad-name", "gauge", "h"));
    }

    @Test
    void countsPeersByTransportAndShowsTheDiskQueueAndTheDhtWhilePresent(@org.junit.jupiter.api.io.TempDir Path state)
            throws Exception {
        PeerStatus overUtp = new PeerStatus(new InetSocketAddress("127.0.0.1", 6881), "", true, 0.5, 0, 0, 0, 0, "dXP", "rc4",
                PeerOrigin.DHT);
        TorrentService engine = engine(List.of(status(1, TorrentState.DOWNLOADING, 3)),
                Map.of("1", List.of(overUtp, peer(PeerOrigin.TRACKER, "plaintext", true), peer(PeerOrigin.PEX, "rc4", false))));
        DhtStatus dhtStatus = new DhtStatus("0123456789abcdef0123456789abcdef01234567", "",
                new DhtStatus.Table(12, 9, List.of(8, 4)), new DhtStatus.Table(1, 0, List.of(1)), 3, 17, 2, 1, 5,
                900, 1000, 65536, 4, 0, 1);
        DhtService dht = (DhtService) Proxy.newProxyInstance(DhtService.class.getClassLoader(), new Class<?>[] {DhtService.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "status" -> dhtStatus;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        try (StorageService storage = Storages.create(StorageConfig.defaults(state))) {
            String text = new MetricsRoutes(() -> engine, storage::diskPool, () -> dht, () -> null).scrape();
            assertTrue(text.contains("graytorrent_peers_by_transport{transport=\"tcp\"} 2\n"), text);
            assertTrue(text.contains("graytorrent_peers_by_transport{transport=\"utp\"} 1\n"), text);
            assertTrue(text.contains("graytorrent_disk_pending_bytes 0\n"), text);
            assertTrue(text.contains("graytorrent_disk_overloaded 0\n"), text);
            assertTrue(text.contains("graytorrent_dht_nodes{family=\"ipv4\"} 12\n"), text);
            assertTrue(text.contains("graytorrent_dht_nodes{family=\"ipv6\"} 1\n"), text);
            assertTrue(text.contains("graytorrent_dht_good_nodes{family=\"ipv4\"} 9\n"), text);
            assertTrue(text.contains("graytorrent_dht_lookups_running 1\n"), text);
        }
        String without = new MetricsRoutes(() -> engine, () -> null, () -> null, () -> null).scrape();
        assertFalse(without.contains("graytorrent_dht_") || without.contains("graytorrent_disk_"), without);
    }
}
