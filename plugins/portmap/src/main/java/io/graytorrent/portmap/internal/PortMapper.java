package io.graytorrent.portmap.internal;

import io.graytorrent.api.PortMappingStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one port of ours mapped on the gateway for TCP and UDP: UPnP IGD first (when on), NAT-PMP
 * next (when on), renewed at half the lease, retried from discovery after a failure, and deleted at
 * {@link #close}. The port is followed: when it changes (the listen port reconfigured at run time), the
 * old one's mappings are deleted and the new one is mapped. The external address the gateway reports
 * goes to {@code externalAddress}.
 *
 * <p>Threading: every gateway exchange runs on the mapper's own thread; {@link #status} reads one
 * immutable snapshot.
 */
public final class PortMapper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortMapper.class);
    private static final List<String> PROTOCOLS = List.of("TCP", "UDP");
    /** UPnP error 725: the gateway only takes leases of 0 (no expiry). */
    private static final int ONLY_PERMANENT_LEASES = 725;
    private static final String DESCRIPTION = "graytorrent";

    /**
     * @param upnp          try UPnP IGD
     * @param natPmp        try NAT-PMP
     * @param leaseSeconds  the lease asked for; renewed at half of it (or of what the gateway grants)
     * @param discovery     how long to wait for SSDP answers
     * @param natPmpGateway the NAT-PMP server, or null for the default gateway
     * @param retry         how long after a failure to try again
     */
    public record Settings(boolean upnp, boolean natPmp, long leaseSeconds, Duration discovery,
            InetAddress natPmpGateway, Duration retry) {
    }

    /** How often the port is compared with the one mapped: a read of a field, nothing on the network. */
    private static final Duration FOLLOW_EVERY = Duration.ofSeconds(1);

    /** What is mapped now, and how it is renewed and removed. */
    private interface Mapped {
        /** Renews the mappings; returns the seconds until the next renewal. */
        long renew() throws IOException, GatewayReplyException;

        void delete();
    }

    private final Settings settings;
    private final IntSupplier currentPort;
    private final Consumer<InetAddress> externalAddress;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread named = new Thread(runnable, "gray port mapping");
        named.setDaemon(true);
        return named;
    });
    private volatile PortMappingStatus status = new PortMappingStatus("", "", "", List.of(), "", "");
    /** The port mapped or being mapped; read and written on the mapper's thread. */
    private int port;
    private Mapped mapped;
    private ScheduledFuture<?> next;
    private ScheduledFuture<?> following;
    private boolean closed;
    private volatile long renewals;

    /**
     * @param currentPort our port as it is now, mapped to the same port outside where the gateway allows; read every
     *                    second on the mapper's thread, so it must not block
     */
    public PortMapper(Settings settings, IntSupplier currentPort, Consumer<InetAddress> externalAddress) {
        this.settings = settings;
        this.currentPort = currentPort;
        this.externalAddress = externalAddress;
    }

    /** Starts mapping, and following the port, on the mapper's thread. */
    public void start() {
        thread.execute(() -> {
            port = currentPort.getAsInt();
            next = thread.schedule(this::map, 0, TimeUnit.SECONDS);
            following = thread.scheduleWithFixedDelay(this::followPort, FOLLOW_EVERY.toMillis(), FOLLOW_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
        });
    }

    /** The port moved: what was mapped for the old one is deleted, and the new one mapped from discovery on. */
    private void followPort() {
        int now;
        try {
            now = currentPort.getAsInt();
        } catch (RuntimeException e) { // a failure here must not end the following (a scheduled task's would)
            LOG.debug("port mapping: our port could not be read: {}", e.toString());
            return;
        }
        if (closed || now == port) {
            return;
        }
        LOG.info("our port moved from {} to {}: mapping {} instead", port, now, now);
        next.cancel(false);
        Optional.ofNullable(mapped).ifPresent(Mapped::delete);
        mapped = null;
        port = now;
        status = new PortMappingStatus("", "", status.externalAddress(), List.of(), "", "");
        map();
    }

    public PortMappingStatus status() {
        return status;
    }

    /** How many times the mappings were renewed since the start (not counting the first mapping). */
    public long renewals() {
        return renewals;
    }

    private void map() {
        List<String> problems = new ArrayList<>();
        if (settings.upnp()) {
            try {
                mapped = upnp();
                return;
            } catch (IOException | GatewayReplyException | RuntimeException e) {
                problems.add("UPnP: " + e.getMessage());
            }
        }
        if (settings.natPmp()) {
            try {
                mapped = natPmp();
                return;
            } catch (IOException | GatewayReplyException | RuntimeException e) {
                problems.add("NAT-PMP: " + e.getMessage());
            }
        }
        String error = problems.isEmpty() ? "no protocol enabled" : String.join("; ", problems);
        LOG.info("port {} not mapped, trying again in {} s: {}", port, settings.retry().toSeconds(), error);
        status = new PortMappingStatus("", "", status.externalAddress(), List.of(), "", error);
        next = thread.schedule(this::map, settings.retry().toMillis(), TimeUnit.MILLISECONDS);
    }

    private Mapped upnp() throws IOException, GatewayReplyException {
        int ours = port;
        UpnpGateway gateway = UpnpGateway.discover(settings.discovery());
        String external = "";
        try {
            InetAddress address = gateway.externalAddress();
            external = address.getHostAddress();
            externalAddress.accept(address);
        } catch (GatewayReplyException | IOException e) {
            LOG.debug("UPnP gateway {} gave no external address: {}", gateway, e.getMessage());
        }
        String shownExternal = external;
        long[] lease = {settings.leaseSeconds()};
        Mapped upnp = new Mapped() {
            @Override
            public long renew() throws IOException, GatewayReplyException {
                for (String protocol : PROTOCOLS) {
                    try {
                        gateway.addPortMapping(protocol, ours, lease[0], DESCRIPTION);
                    } catch (GatewayReplyException e) {
                        if (e.code() != ONLY_PERMANENT_LEASES || lease[0] == 0) {
                            throw e;
                        }
                        lease[0] = 0; // kept by the gateway until deleted; still re-added now and then
                        gateway.addPortMapping(protocol, ours, 0, DESCRIPTION);
                    }
                }
                return lease[0] == 0 ? settings.leaseSeconds() / 2 : Math.max(1, lease[0] / 2);
            }

            @Override
            public void delete() {
                for (String protocol : PROTOCOLS) {
                    try {
                        gateway.deletePortMapping(protocol, ours);
                    } catch (IOException | GatewayReplyException e) {
                        LOG.info("UPnP: {} port {} not deleted: {}", protocol, ours, e.getMessage());
                    }
                }
            }
        };
        long renewIn = upnp.renew();
        List<String> mappings = PROTOCOLS.stream().map(p -> p + " " + ours + " -> "
                + gateway.localAddress().getHostAddress() + ":" + ours).toList();
        mappedNow("upnp", gateway.toString(), shownExternal, mappings, renewIn);
        LOG.info("port {} mapped by UPnP on {} (external address {}, lease {} s)", ours, gateway,
                shownExternal.isEmpty() ? "unknown" : shownExternal, lease[0]);
        return scheduleRenewals(upnp, renewIn, "upnp", gateway.toString(), shownExternal, mappings);
    }

    private Mapped natPmp() throws IOException, GatewayReplyException {
        int ours = port;
        InetAddress server = settings.natPmpGateway() != null ? settings.natPmpGateway()
                : DefaultGateway.find().orElseThrow(() -> new GatewayReplyException("no default gateway"));
        NatPmpGateway gateway = new NatPmpGateway(server);
        InetAddress address = gateway.externalAddress().external();
        externalAddress.accept(address);
        List<String> mappings = new ArrayList<>();
        Mapped natPmp = new Mapped() {
            @Override
            public long renew() throws IOException, GatewayReplyException {
                long lifetime = Long.MAX_VALUE;
                mappings.clear();
                for (String protocol : PROTOCOLS) {
                    NatPmpPacket.Mapping mapping = gateway.map(protocol, ours, settings.leaseSeconds());
                    lifetime = Math.min(lifetime, mapping.lifetimeSeconds());
                    mappings.add(protocol + " " + mapping.externalPort() + " -> " + ours);
                }
                return Math.max(1, lifetime / 2);
            }

            @Override
            public void delete() {
                for (String protocol : PROTOCOLS) {
                    try {
                        gateway.map(protocol, ours, 0);
                    } catch (IOException | GatewayReplyException e) {
                        LOG.info("NAT-PMP: {} port {} not deleted: {}", protocol, ours, e.getMessage());
                    }
                }
            }
        };
        long renewIn = natPmp.renew();
        mappedNow("natpmp", gateway.toString(), address.getHostAddress(), List.copyOf(mappings), renewIn);
        LOG.info("port {} mapped by NAT-PMP on {} (external address {})", ours, gateway, address.getHostAddress());
        return scheduleRenewals(natPmp, renewIn, "natpmp", gateway.toString(), address.getHostAddress(), mappings);
    }

    private Mapped scheduleRenewals(Mapped mapping, long renewIn, String protocol, String gateway, String external,
            List<String> mappings) {
        next = thread.schedule(() -> renew(mapping, protocol, gateway, external, mappings), renewIn, TimeUnit.SECONDS);
        return mapping;
    }

    private void renew(Mapped mapping, String protocol, String gateway, String external, List<String> mappings) {
        try {
            long renewIn = mapping.renew();
            renewals++;
            mappedNow(protocol, gateway, external, List.copyOf(mappings), renewIn);
            LOG.debug("port {} mapping renewed on {}", port, gateway);
            scheduleRenewals(mapping, renewIn, protocol, gateway, external, mappings);
        } catch (IOException | GatewayReplyException | RuntimeException e) {
            LOG.info("renewing the port mapping on {} failed, looking for a gateway again: {}", gateway, e.getMessage());
            mapped = null;
            map();
        }
    }

    private void mappedNow(String protocol, String gateway, String external, List<String> mappings, long renewIn) {
        status = new PortMappingStatus(protocol, gateway, external, mappings,
                Instant.now().plusSeconds(renewIn).truncatedTo(ChronoUnit.SECONDS).toString(), "");
    }

    /** Stops renewing and deletes the mappings on the gateway (waiting at most {@code limit}). */
    public void close(Duration limit) {
        Future<?> closing = thread.submit(() -> {
            closed = true;
            Optional.ofNullable(following).ifPresent(task -> task.cancel(false));
            if (next != null) {
                next.cancel(false);
            }
            Optional.ofNullable(mapped).ifPresent(Mapped::delete);
            mapped = null;
            status = new PortMappingStatus("", "", "", List.of(), "", "");
        });
        try {
            closing.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.info("port mapping: deleting the mappings did not finish: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            thread.shutdownNow();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(15));
    }
}
