package io.graytorrent.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TrackerClient;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.metainfo.TorrentCreator;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

/**
 * Hot deploy as a user does it: the tracker plugin jars dropped into the File Install directory of
 * a running server, the udp one removed and dropped back. The engine loses and regains the udp
 * client without a restart, and says "no client for scheme udp" meanwhile.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TrackerPluginsIT extends ServerContainerTest {
    @Inject
    private TorrentService torrents;

    private Path pluginsDirectory() {
        return Path.of(context.getProperty("felix.fileinstall.dir"));
    }

    @After
    public void removePlugins() throws Exception {
        for (String plugin : List.of("graytorrent-tracker-http", "graytorrent-tracker-udp")) {
            Files.deleteIfExists(pluginsDirectory().resolve(plugin + ".jar"));
        }
    }

    private Path drop(String plugin) throws Exception {
        Path jar = pluginsDirectory().resolve(plugin + ".jar");
        Files.copy(DistributionOptions.plugin(plugin), jar, StandardCopyOption.REPLACE_EXISTING);
        return jar;
    }

    private int clients(String scheme) throws Exception {
        return context.getServiceReferences(TrackerClient.class, "(" + TrackerClient.SCHEMES + "=" + scheme + ")").size();
    }

    @Test
    public void theUdpPluginLeavesAndComesBackWhileTheEngineRuns() throws Exception {
        drop("graytorrent-tracker-http");
        Path udpJar = drop("graytorrent-tracker-udp");
        await("the http and udp clients registering", () -> clients("http") == 1 && clients("https") == 1 && clients("udp") == 1);

        Path data = Files.createTempDirectory("tracker-plugins-it");
        Path payload = Files.write(data.resolve("payload.bin"), new byte[100_000]);
        ServiceReference<TorrentService> engine = context.getServiceReference(TorrentService.class);
        try (DatagramSocket silentTracker = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            silentTracker.setSoTimeout((int) WAIT_MILLIS);
            String url = "udp://127.0.0.1:" + silentTracker.getLocalPort() + "/announce";
            byte[] torrent = TorrentCreator.forPath(payload).tracker(url).create();
            String ref = torrents.add(new AddTorrent(torrent, data, false, List.of())).infoHash().toHex();
            await("the torrent seeding", () -> torrents.status(ref).state() == TorrentState.SEEDING);
            SocketAddress firstClient = receive(silentTracker);
            await("the tracker announcing", () -> status(ref).status().equals("announcing"));

            Files.delete(udpJar);
            await("the udp client leaving", () -> clients("udp") == 0);
            assertEquals("no client for scheme udp", status(ref).status());
            assertEquals("the http client stays", 1, clients("http"));
            assertEquals("the engine is the same service", engine.getProperty("service.id"),
                    context.getServiceReference(TorrentService.class).getProperty("service.id"));
            assertEquals(TorrentState.SEEDING, torrents.status(ref).state());

            drop("graytorrent-tracker-udp");
            await("the udp client coming back", () -> clients("udp") == 1);
            SocketAddress secondClient = receive(silentTracker);
            assertNotEquals("the new client announces from a socket of its own", firstClient, secondClient);
            await("the tracker announcing again", () -> status(ref).status().equals("announcing"));
            assertTrue(torrents.list().stream().anyMatch(t -> t.infoHash().toHex().equals(ref)));
            torrents.remove(ref, false);
        }
    }

    private TrackerStatus status(String ref) throws Exception {
        return torrents.trackers(ref).get(0);
    }

    /** Waits for a BEP 15 connect from the client and returns where it came from. */
    private static SocketAddress receive(DatagramSocket tracker) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        tracker.receive(packet);
        assertEquals("a connect request", 16, packet.getLength());
        return packet.getSocketAddress();
    }
}
