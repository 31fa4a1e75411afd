package io.graytorrent.lsd.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerOrigin;
import io.graytorrent.api.PeerSource;
import io.graytorrent.api.RunningTorrent;
import io.graytorrent.peerwire.PeerWire;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local service discovery (BEP 14) as a {@link PeerSource}: the engine tells it of each running
 * public torrent (never of a private one), which it announces on the LAN at once and every
 * {@code announceIntervalSeconds}; peers announcing a torrent we run are handed to it as
 * {@code lsd} candidates. Sockets follow the peer wire's bind address ({@link MulticastEndpoint});
 * a configuration change restarts the component.
 */
@Component(service = PeerSource.class, immediate = true, configurationPid = "io.graytorrent.lsd")
@Designate(ocd = LsdConfiguration.class)
public final class LsdComponent implements PeerSource {
    private static final Logger LOG = LoggerFactory.getLogger(LsdComponent.class);

    @Reference
    PeerWire peerWire;

    private LocalDiscovery discovery;
    private MulticastEndpoint endpoint;
    private ScheduledExecutorService timer;

    @Activate
    void activate(LsdConfiguration config) {
        if (!config.enabled()) {
            LOG.info("LSD is off (enabled=false)");
            return;
        }
        byte[] cookie = new byte[4];
        new SecureRandom().nextBytes(cookie);
        String ourCookie = HexFormat.of().formatHex(cookie);
        int perDatagram = Math.min(LsdMessage.infoHashesPerDatagram(MulticastEndpoint.Group.IPV4.host, ourCookie),
                LsdMessage.infoHashesPerDatagram(MulticastEndpoint.Group.IPV6.host, ourCookie));
        discovery = new LocalDiscovery(ourCookie,
                new AnnounceSchedule(TimeUnit.SECONDS.toMillis(config.announceIntervalSeconds()),
                        TimeUnit.SECONDS.toMillis(config.minAnnounceGapSeconds()), perDatagram),
                TimeUnit.SECONDS.toMillis(config.repeatSeconds()), config.maxDatagramsPerSecond());
        InetAddress bindAddress = peerWire.listenAddress().getAddress();
        endpoint = MulticastEndpoint.open(bindAddress, config.multicastTtl(), this::received);
        LOG.info("LSD following the peer wire's {}: {}", bindAddress.getHostAddress(), endpoint);
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "graytorrent-lsd-announce");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::announceDue, 1, 1, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
            endpoint.close();
        }
    }

    @Override
    public PeerOrigin origin() {
        return PeerOrigin.LSD;
    }

    @Override
    public void start(RunningTorrent torrent, Consumer<InetSocketAddress> found) {
        if (discovery != null) {
            discovery.start(torrent, found, now());
            timer.execute(this::announceDue);
        }
    }

    @Override
    public void stop(InfoHash infoHash) {
        if (discovery != null) {
            discovery.stop(infoHash);
        }
    }

    private void announceDue() {
        try {
            LsdMessage message = discovery.due(now());
            if (message != null) {
                LOG.debug("LSD announce of {} torrent(s), port {}", message.infoHashes().size(), message.port());
                endpoint.send(message);
            }
        } catch (RuntimeException e) {
            LOG.warn("LSD announce failed", e);
        }
    }

    private void received(InetAddress from, byte[] datagram, int length) {
        for (LocalDiscovery.Handoff handoff : discovery.received(from, datagram, length, now())) {
            LOG.debug("LSD: peer {}", handoff.peer());
            handoff.run();
        }
    }

    private static long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }
}
