package io.graytorrent.control.internal;

import io.graytorrent.api.TorrentListener;
import io.graytorrent.api.BlocklistService;
import io.graytorrent.api.DhtService;
import io.graytorrent.api.NetworkService;
import io.graytorrent.api.WatchFolderService;
import io.graytorrent.api.PortMappingService;
import io.graytorrent.api.TorrentLabels;
import io.graytorrent.api.TorrentService;
import io.graytorrent.control.ControlEndpoint;
import io.graytorrent.control.internal.api.DhtRoutes;
import io.graytorrent.control.internal.api.NetworkRoutes;
import io.graytorrent.control.internal.api.EngineAccess;
import io.graytorrent.control.internal.api.EventStreams;
import io.graytorrent.control.internal.api.TorrentBoard;
import io.graytorrent.control.internal.api.LabelRoutes;
import io.graytorrent.control.internal.api.OptionRoutes;
import io.graytorrent.control.internal.api.SettingsRoutes;
import io.graytorrent.control.internal.api.TorrentRoutes;
import io.graytorrent.control.internal.auth.Authenticator;
import io.graytorrent.control.internal.auth.LoginLimiter;
import io.graytorrent.control.internal.auth.LoginSessions;
import io.graytorrent.control.internal.auth.SessionRoutes;
import io.graytorrent.control.internal.command.CommandRoutes;
import io.graytorrent.control.internal.http.ControlServer;
import io.graytorrent.control.internal.http.Router;
import io.graytorrent.control.internal.http.TlsContexts;
import io.graytorrent.control.internal.metrics.MetricsRoutes;
import io.graytorrent.storage.StorageService;
import io.graytorrent.control.internal.web.WebAssets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the control endpoint once Gogo is there, with the token the launcher put in the framework
 * properties: the command channel of the {@code gray} client and the JSON API. Registers
 * {@link ControlEndpoint} itself, only after the socket is bound, so whoever sees the service can
 * connect. The engine may come and go meanwhile; the endpoint, and its port, stay.
 */
@Component(immediate = true, service = {}, configurationPid = "io.graytorrent.control")
@Designate(ocd = ControlConfig.class)
public final class ControlComponent implements ControlEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ControlComponent.class);
    private static final Duration SESSION_IDLE = Duration.ofHours(12);
    private static final int MAX_SESSIONS = 64;
    private static final int MAX_FAILED_LOGINS = 5;
    private static final Duration FAILED_LOGIN_WINDOW = Duration.ofMinutes(1);
    private static final int MAX_EVENT_STREAMS = 16;
    private static final int MAX_EVENT_BUFFER_BYTES = 256 * 1024;
    private static final long EVENT_TICK_MILLIS = 1000;

    @Reference
    private CommandProcessor processor;

    private volatile TorrentService torrents;
    /** What the event streams show, pushed by the engine. */
    private final TorrentBoard board = new TorrentBoard();
    private ServiceRegistration<TorrentListener> boardRegistration;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DhtService dht;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile NetworkService network;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile TorrentLabels labels;

    /** For the disk queue's metrics. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile StorageService storage;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile BlocklistService blocklist;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile PortMappingService portMapping;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile WatchFolderService watchFolder;

    private CommandRoutes commands;
    private EventStreams events;
    private ControlServer server;
    private ServiceRegistration<ControlEndpoint> registration;

    @Activate
    void activate(BundleContext context, ControlConfig config) throws InterruptedException {
        String token = context.getProperty(TOKEN_PROPERTY);
        if (token == null || token.length() < 32) {
            throw new IllegalStateException("no control token in framework property " + TOKEN_PROPERTY
                    + ": the control endpoint stays closed");
        }
        TlsContexts.ServerTls tls = config.tls()
                ? TlsContexts.server(Path.of(config.keystorePath()), config.keystorePassword().toCharArray())
                : null;
        ControlServer.Settings settings = new ControlServer.Settings(config.bindAddress(), config.port(),
                config.maxRequestBytes(), tls == null ? null : tls.context());
        Authenticator authenticator = new Authenticator(token,
                new LoginSessions(SESSION_IDLE, MAX_SESSIONS, System::nanoTime), config.tls());
        EngineAccess engine = new EngineAccess(() -> torrents, () -> labels, () -> blocklist, () -> portMapping,
                () -> watchFolder, () -> network);
        commands = new CommandRoutes(processor, config.commandThreads());
        boardRegistration = context.registerService(TorrentListener.class, board, null);
        TorrentService bound = torrents;
        if (bound != null) {
            board.fill(bound::list); // after registering: whatever changes from here on is told
        }
        events = new EventStreams(board::torrents, engine::labelsOf, MAX_EVENT_STREAMS, MAX_EVENT_BUFFER_BYTES, EVENT_TICK_MILLIS);
        Router router = routes(commands, new SessionRoutes(authenticator,
                new LoginLimiter(MAX_FAILED_LOGINS, FAILED_LOGIN_WINDOW, System::nanoTime)), engine,
                new DhtRoutes(() -> dht), new NetworkRoutes(engine, () -> network), events, config.webUi(),
                new MetricsRoutes(engine::orNull, () -> storage == null ? null : storage.diskPool(), () -> dht,
                        engine::blocklistOrNull));
        try {
            server = new ControlServer(settings, authenticator, router);
        } catch (RuntimeException | InterruptedException e) {
            events.close();
            commands.close();
            boardRegistration.unregister();
            throw e;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(PORT, server.port());
        properties.put(ADDRESS, server.address());
        if (tls != null) {
            properties.put(CERTIFICATE, tls.certificatePem());
        }
        registration = context.registerService(ControlEndpoint.class, this, properties);
        String scheme = tls == null ? "http" : "https";
        LOG.info("control endpoint listening on {}://{}:{}", scheme, server.address(), server.port());
        if (config.webUi()) {
            LOG.info("web UI at {}://{}:{}/", scheme, server.address(), server.port());
        }
    }

    /** The engine comes and goes (a restart of the core bundle); the endpoint stays. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setTorrents(TorrentService service) {
        torrents = service;
        board.fill(service::list);
    }

    void unsetTorrents(TorrentService service) {
        if (torrents == service) {
            torrents = null;
            board.clear();
        }
    }

    /** Everything the endpoint answers; with {@code webUi}, the web UI's static files too. */
    static Router routes(CommandRoutes commands, SessionRoutes sessions, EngineAccess engine, DhtRoutes dht,
            NetworkRoutes network, EventStreams events, boolean webUi) {
        return routes(commands, sessions, engine, dht, network, events, webUi, new MetricsRoutes(engine::orNull));
    }

    static Router routes(CommandRoutes commands, SessionRoutes sessions, EngineAccess engine, DhtRoutes dht,
            NetworkRoutes network, EventStreams events, boolean webUi, MetricsRoutes metrics) {
        Router router = new Router();
        commands.register(router);
        sessions.register(router);
        new TorrentRoutes(engine).register(router);
        new LabelRoutes(engine).register(router);
        new OptionRoutes(engine).register(router);
        new SettingsRoutes(engine).register(router);
        dht.register(router);
        network.register(router);
        events.register(router);
        metrics.register(router);
        if (webUi) {
            new WebAssets(ControlComponent.class.getClassLoader()).register(router);
        }
        return router;
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
        // the commands first: their last lines go out while the event loops still run
        commands.close();
        server.close();
        events.close();
        boardRegistration.unregister();
    }

    @Override
    public int port() {
        return server.port();
    }
}
