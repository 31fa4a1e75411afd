package io.graytorrent.pex.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.PeerSource;
import io.graytorrent.peerwire.ExtensionMessageHandler;
import io.graytorrent.peerwire.PeerWire;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link PeerExchange}: registers it as the peer wire's {@code ut_pex} extension and as the
 * engine's PEX peer source, and {@link Holepunch} beside it as {@code ut_holepunch} (its relays are
 * the peers PEX learnt each address from), and ticks it every second on a thread of its own (a peer's minute is
 * kept to within that second).
 */
@Component(service = {}, immediate = true)
public final class PexComponent {
    private static final Logger LOG = LoggerFactory.getLogger(PexComponent.class);
    private static final long TICK_MILLIS = 1000;
    private static final String UTP = "utp";

    @Reference
    private PeerWire wire;

    private ScheduledExecutorService timer;
    private ServiceRegistration<?> registration;
    private ServiceRegistration<?> holepunchRegistration;

    @Activate
    void activate(BundleContext context) {
        PeerExchange exchange = new PeerExchange(System::currentTimeMillis, this::isOurs);
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "gray-pex");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> tick(exchange), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        registration = context.registerService(
                new String[] {ExtensionMessageHandler.class.getName(), PeerSource.class.getName()}, exchange, null);
        Holepunch holepunch = new Holepunch(System::currentTimeMillis, this::isOurs, exchange::toldBy, this::dialUtp);
        holepunchRegistration = context.registerService(ExtensionMessageHandler.class, holepunch, null);
    }

    /** A failing tick is logged: an exception would end the timer's schedule for good. */
    private static void tick(PeerExchange exchange) {
        try {
            exchange.tick();
        } catch (RuntimeException e) {
            LOG.warn("peer exchange tick failed", e);
        }
    }

    @Deactivate
    void deactivate() {
        holepunchRegistration.unregister();
        registration.unregister();
        timer.shutdownNow();
    }

    /** A holepunch's dial: over uTP only, its failure logged (the peer wire tells the extensions too). */
    private void dialUtp(InfoHash infoHash, InetSocketAddress address) {
        wire.connect(address, infoHash, UTP).whenComplete((peer, failure) -> {
            if (failure != null) {
                LOG.debug("holepunch dial of {} over uTP failed: {}", address, failure.getMessage());
            }
        });
    }

    /** Our listener's address, or (listening on every interface) our port on any address of this machine. */
    private boolean isOurs(InetSocketAddress address) {
        InetSocketAddress listening = wire.listenAddress();
        InetAddress ip = address.getAddress();
        if (address.getPort() != listening.getPort()) {
            return false;
        }
        if (ip.equals(listening.getAddress())) {
            return true;
        }
        try {
            return listening.getAddress().isAnyLocalAddress()
                    && (ip.isLoopbackAddress() || NetworkInterface.getByInetAddress(ip) != null);
        } catch (SocketException e) {
            return false;
        }
    }
}
