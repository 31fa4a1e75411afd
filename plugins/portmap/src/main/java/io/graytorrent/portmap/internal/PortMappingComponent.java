package io.graytorrent.portmap.internal;

import io.graytorrent.api.DhtService;
import io.graytorrent.api.PortMappingService;
import io.graytorrent.api.PortMappingStatus;
import io.graytorrent.api.RuntimeProperties;
import io.graytorrent.peerwire.PeerWire;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port mapping as an OSGi service: the peer wire's listen port (TCP, and UDP for the DHT and uTP on
 * the same port) mapped on the gateway while the component runs, deleted when it stops; when the
 * listen port changes, the mapping moves with it. The external
 * address learnt is handed to the DHT for BEP 42. A configuration change restarts the component
 * (mappings deleted, then made again).
 */
@Component(service = PortMappingService.class, immediate = true, configurationPid = "io.graytorrent.portmap")
@Designate(ocd = PortMappingConfiguration.class)
public final class PortMappingComponent implements PortMappingService {
    private static final Logger LOG = LoggerFactory.getLogger(PortMappingComponent.class);
    private static final PortMappingStatus OFF = new PortMappingStatus("", "", "", List.of(), "", "off");

    @Reference
    PeerWire peerWire;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile DhtService dht;

    private PortMapper mapper;

    @Activate
    void activate(PortMappingConfiguration config, BundleContext context) {
        if (!config.enabled() || "off".equals(context.getProperty(RuntimeProperties.PORT_MAPPING_PROPERTY))) {
            LOG.info("port mapping is off ({})", config.enabled() ? RuntimeProperties.PORT_MAPPING_PROPERTY + "=off" : "enabled=false");
            return;
        }
        InetAddress natPmpGateway = config.natPmpGateway().isBlank() ? null : UpnpGateway.literalOrNull(config.natPmpGateway().strip());
        PortMapper.Settings settings = new PortMapper.Settings(config.upnp(), config.natPmp(),
                Math.max(0, config.leaseSeconds()), Duration.ofSeconds(Math.max(1, config.discoverySeconds())),
                natPmpGateway, Duration.ofSeconds(Math.max(10, config.retrySeconds())));
        // the listen port may move at run time (the peer wire's configuration changed): the mapping follows it
        mapper = new PortMapper(settings, () -> peerWire.listenAddress().getPort(), this::externalAddress);
        mapper.start();
    }

    private void externalAddress(InetAddress address) {
        DhtService node = dht;
        if (node != null) {
            node.externalAddressKnown(address);
        }
    }

    @Deactivate
    void deactivate() {
        if (mapper != null) {
            mapper.close();
        }
    }

    @Override
    public PortMappingStatus status() {
        return mapper == null ? OFF : mapper.status();
    }
}
