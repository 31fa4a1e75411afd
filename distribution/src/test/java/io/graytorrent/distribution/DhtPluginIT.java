package io.graytorrent.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.graytorrent.api.DhtService;
import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.PeerSource;
import io.graytorrent.api.TorrentService;
import io.graytorrent.udp.DatagramHandler;
import io.graytorrent.udp.UdpSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The DHT plugin jar dropped into a running server's File Install directory, removed and dropped
 * back: the DHT (its KRPC handler, peer source and status service) comes and goes, and the engine
 * and the shared UDP socket stay the same services throughout.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DhtPluginIT extends ServerContainerTest {
    private static final String PLUGIN = "graytorrent-dht";

    private Path jar() {
        return Path.of(context.getProperty("felix.fileinstall.dir")).resolve(PLUGIN + ".jar");
    }

    @After
    public void removePlugin() throws Exception {
        Files.deleteIfExists(jar());
    }

    @Test
    public void theDhtLeavesAndComesBackWhileTheEngineAndTheUdpSocketStay() throws Exception {
        Object engine = serviceId(TorrentService.class);
        Object socket = serviceId(UdpSocket.class);
        Files.copy(DistributionOptions.plugin(PLUGIN), jar(), StandardCopyOption.REPLACE_EXISTING);
        await("the DHT starting", this::dhtRuns);
        assertTrue(context.getService(context.getServiceReference(DhtService.class)).status().nodeId().matches("[0-9a-f]{40}"));

        Files.delete(jar());
        await("the DHT stopping", () -> !dhtRuns() && context.getServiceReferences(DatagramHandler.class, null).isEmpty());
        assertEquals("the engine is the same service", engine, serviceId(TorrentService.class));
        assertEquals("the UDP socket is the same service", socket, serviceId(UdpSocket.class));

        Files.copy(DistributionOptions.plugin(PLUGIN), jar(), StandardCopyOption.REPLACE_EXISTING);
        await("the DHT starting again", this::dhtRuns);
        assertEquals(engine, serviceId(TorrentService.class));
    }

    /** Its status service and, in the same component, the peer source of origin DHT. */
    private boolean dhtRuns() throws Exception {
        return context.getServiceReference(DhtService.class) != null && context.getServiceReferences(PeerSource.class, null)
                .stream().anyMatch(ref -> context.getService(ref).origin() == PeerOrigin.DHT);
    }

    private Object serviceId(Class<?> service) {
        return context.getServiceReference(service).getProperty("service.id");
    }
}
