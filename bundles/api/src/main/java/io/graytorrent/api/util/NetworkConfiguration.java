package io.graytorrent.api.util;

/**
 * The network keys of the peer wire's configuration ({@code io.graytorrent.peerwire}) as a Declarative
 * Services component property type, for the components besides the peer wire that open sockets (the
 * tracker clients): they name that PID among theirs and take this beside their own configuration, then
 * build their {@link NetworkRoute} with {@link NetworkRoute#of(NetworkConfiguration)}. The README's
 * configuration table describes the keys.
 */
public @interface NetworkConfiguration {
    /** The peer wire's PID, which holds these keys. */
    String PID = "io.graytorrent.peerwire";

    String bindAddress() default "";

    String bindInterface() default "";

    String proxy() default "";

    String proxyUsername() default "";

    String proxyPassword() default "";

    boolean proxyPeerConnectionsOnly() default false;
}
