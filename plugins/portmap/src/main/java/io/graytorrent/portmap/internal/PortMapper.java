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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one port of ours mapped on the gateway for TCP and UDP: UPnP IGD first (when on), NAT-PMP
 * next (when on), renewed at half the lease, retried from discovery after a failure, and deleted at
 * {@link #close}. The external address the gateway reports goes to {@code externalAddress}.
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
     * @param port          our port, mapped to the same port outside where the gateway allows
     * @param leaseSeconds  the lease asked for; renewed at half of it (or of what the gateway grants)
     * @param discovery     how long to wait for SSDP answers
     * @param natPmpGateway the NAT-PMP server, or null for the default gateway
     * @param retry         how long after a failure to try again
     */
    public record Settings(boolean upnp, boolean natPmp, int port, long leaseSeconds, Duration discovery,
            InetAddress natPmpGateway, Duration retry) {
    }

    /** What is mapped now, and how it is renewed and removed. */
    private interface Mapped {
        /** Renews the mappings; returns the seconds until the next renewal. */
        long renew() throws IOException, GatewayReplyException;

        void delete();
    }

    private final Settings settings;
    private final Consumer<InetAddress> externalAddress;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread named = new Thread(runnable, "gray port mapping");
        named.setDaemon(true);
        return named;
    });
    private volatile PortMappingStatus status = new PortMappingStatus("", "", "", List.of(), "", "");
    private Mapped mapped;
    private ScheduledFuture<?> next;
    private volatile long renewals;

    public PortMapper(Settings settings, Consumer<InetAddress> externalAddress) {
        this.settings = settings;
        this.externalAddress = externalAddress;
    }

    /** Starts mapping, on the mapper's thread. */
    public void start() {
        next = thread.schedule(this::map, 0, TimeUnit.SECONDS);
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
        LOG.info("port {} not mapped, trying again in {} s: {}", settings.port(), settings.retry().toSeconds(), error);
        status = new PortMappingStatus("", "", status.externalAddress(), List.of(), "", error);
        next = thread.schedule(this::map, settings.retry().toMillis(), TimeUnit.MILLISECONDS);
    }

    private Mapped upnp() throws IOException, GatewayReplyException {
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
                        gateway.addPortMapping(protocol, settings.port(), lease[0], DESCRIPTION);
                    } catch (GatewayReplyException e) {
                        if (e.code() != ONLY_PERMANENT_LEASES || lease[0] == 0) {
                            throw e;
                        }
                        lease[0] = 0; // kept by the gateway until deleted; still re-added now and then
                        gateway.addPortMapping(protocol, settings.port(), 0, DESCRIPTION);
                    }
                }
                return lease[0] == 0 ? settings.leaseSeconds() / 2 : Math.max(1, lease[0] / 2);
            }

            @Override
            public void delete() {
                for (String protocol : PROTOCOLS) {
                    try {
                        gateway.deletePortMapping(protocol, settings.port());
                    } catch (IOException | GatewayReplyException e) {
                        LOG.info("UPnP: {} port {} not deleted: {}", protocol, settings.port(), e.getMessage());
                    }
                }
            }
        };
        long renewIn = upnp.renew();
        List<String> mappings = PROTOCOLS.stream().map(p -> p + " " + settings.port() + " -> "
                + gateway.localAddress().getHostAddress() + ":" + settings.port()).toList();
        mappedNow("upnp", gateway.toString(), shownExternal, mappings, renewIn);
        LOG.info("port {} mapped by UPnP on {} (external address {}, lease {} s)", settings.port(), gateway,
                shownExternal.isEmpty() ? "unknown" : shownExternal, lease[0]);
        return scheduleRenewals(upnp, renewIn, "upnp", gateway.toString(), shownExternal, mappings);
    }

    private Mapped natPmp() throws IOException, GatewayReplyException {
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
                    NatPmpPacket.Mapping mapping = gateway.map(protocol, settings.port(), settings.leaseSeconds());
                    lifetime = Math.min(lifetime, mapping.lifetimeSeconds());
                    mappings.add(protocol + " " + mapping.externalPort() + " -> " + settings.port());
                }
                return Math.max(1, lifetime / 2);
            }

            @Override
            public void delete() {
                for (String protocol : PROTOCOLS) {
                    try {
                        gateway.map(protocol, settings.port(), 0);
                    } catch (IOException | GatewayReplyException e) {
                        LOG.info("NAT-PMP: {} port {} not deleted: {}", protocol, settings.port(), e.getMessage());
                    }
                }
            }
        };
        long renewIn = natPmp.renew();
        mappedNow("natpmp", gateway.toString(), address.getHostAddress(), List.copyOf(mappings), renewIn);
        LOG.info("port {} mapped by NAT-PMP on {} (external address {})", settings.port(), gateway, address.getHostAddress());
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
            LOG.debug("port {} mapping renewed on {}", settings.port(), gateway);
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
