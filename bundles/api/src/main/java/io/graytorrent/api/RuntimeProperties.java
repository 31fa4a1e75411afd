package io.graytorrent.api;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * What the launcher tells the bundles of a runtime through framework properties: where state lives
 * ({@value #HOME_PROPERTY}: GRAY_HOME, resolved from {@code --home}, the environment or the
 * default; {@value #STATE_DIRECTORY_PROPERTY} for a runtime that must not share state with the
 * server, such as a one-shot {@code gray get}), and a peer listen port and encryption policy given on
 * the command line ({@value #LISTEN_PORT_PROPERTY}, {@value #ENCRYPTION_PROPERTY}, {@value #DHT_NODES_PROPERTY}). Every bundle derives its paths here, so they cannot disagree.
 */
public final class RuntimeProperties {
    public static final String HOME_PROPERTY = "graytorrent.home";
    public static final String STATE_DIRECTORY_PROPERTY = "graytorrent.state.dir";
    /** Overrides the peer wire's configured listen port (e.g. {@code gray get --port N}). */
    public static final String LISTEN_PORT_PROPERTY = "graytorrent.listen.port";
    /** Overrides the peer wire's configured encryption policy (e.g. {@code gray get --encryption required}). */
    public static final String ENCRYPTION_PROPERTY = "graytorrent.encryption";
    /**
     * Comma-separated HOST:PORT of DHT nodes that replace the DHT's configured bootstrap nodes
     * ({@code gray get --dht-node}); set but empty, the DHT starts from no router at all.
     */
    public static final String DHT_NODES_PROPERTY = "graytorrent.dht.nodes";
    /**
     * {@code off} turns the port mapping off whatever its configuration says: a runtime whose tests must not
     * talk to the host's gateway (SSDP multicast, NAT-PMP) sets it.
     */
    public static final String PORT_MAPPING_PROPERTY = "graytorrent.portmap";

    private RuntimeProperties() {
    }

    /** GRAY_HOME: the home property, else {@code ~/.graytorrent}. */
    public static Path home(UnaryOperator<String> frameworkProperties) {
        String home = frameworkProperties.apply(HOME_PROPERTY);
        return home != null && !home.isBlank() ? Path.of(home)
                : Path.of(System.getProperty("user.home"), ".graytorrent");
    }

    /** The state directory property, else {@code GRAY_HOME/state}. */
    public static Path stateDirectory(UnaryOperator<String> frameworkProperties) {
        String state = frameworkProperties.apply(STATE_DIRECTORY_PROPERTY);
        return state != null && !state.isBlank() ? Path.of(state) : home(frameworkProperties).resolve("state");
    }
}
