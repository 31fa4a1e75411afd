package io.graytorrent.control.internal;

import io.graytorrent.control.ControlEndpoint;
import java.util.Dictionary;
import java.util.Hashtable;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the control endpoint once Gogo is there, with the token the launcher put in the framework
 * properties. Registers {@link ControlEndpoint} itself, only after the socket is bound, so whoever
 * sees the service can connect.
 */
@Component(immediate = true, service = {}, configurationPid = "io.graytorrent.control")
@Designate(ocd = ControlConfig.class)
public final class ControlComponent implements ControlEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ControlComponent.class);

    @Reference
    private CommandProcessor processor;

    private ControlServer server;
    private ServiceRegistration<ControlEndpoint> registration;

    @Activate
    void activate(BundleContext context, ControlConfig config) throws InterruptedException {
        String token = context.getProperty(TOKEN_PROPERTY);
        if (token == null || token.length() < 32) {
            throw new IllegalStateException("no control token in framework property " + TOKEN_PROPERTY
                    + ": the control endpoint stays closed");
        }
        server = new ControlServer(config.bindAddress(), config.port(), token, config.maxRequestBytes(),
                config.commandThreads(), config.webUi(), processor);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(PORT, server.port());
        properties.put(ADDRESS, server.address());
        registration = context.registerService(ControlEndpoint.class, this, properties);
        LOG.info("control endpoint listening on {}:{}", server.address(), server.port());
        if (config.webUi()) {
            LOG.info("web UI at http://{}:{}/", server.address(), server.port());
        }
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
        server.close();
    }

    @Override
    public int port() {
        return server.port();
    }
}
