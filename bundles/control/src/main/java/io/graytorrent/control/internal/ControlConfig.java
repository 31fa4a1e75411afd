package io.graytorrent.control.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "graytorrent control endpoint",
        description = "Where the gray client, programs and browsers reach a running graytorrent.")
public @interface ControlConfig {

    @AttributeDefinition(description = "Address to bind. Anything but loopback exposes the engine to the network.")
    String bindAddress() default "127.0.0.1";

    @AttributeDefinition(description = "TCP port; 0 picks a free one (the launcher records it in GRAY_HOME).")
    int port() default 0;

    @AttributeDefinition(description = "Largest request body accepted, in bytes.")
    int maxRequestBytes() default 1 << 20;

    @AttributeDefinition(description = "Commands run at the same time; more wait in line.")
    int commandThreads() default 4;

    @AttributeDefinition(description = "Serve the web UI at / (its API calls need a login like everything else).")
    boolean webUi() default true;

    @AttributeDefinition(description = "Serve HTTPS instead of HTTP, with the key and certificate of keystorePath.")
    boolean tls() default false;

    @AttributeDefinition(description = "PKCS12 keystore holding the server's key and certificate chain (with tls).")
    String keystorePath() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Password of the keystore and of its key.")
    String keystorePassword() default "";
}
