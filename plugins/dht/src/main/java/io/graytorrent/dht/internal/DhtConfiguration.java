package io.graytorrent.dht.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Interim: the DHT on a UDP socket of its own, off by default, until the engine's shared socket exists. */
@ObjectClassDefinition(name = "graytorrent DHT (interim)", description = "Mainline DHT node on its own UDP socket; for interop testing only, not yet a peer source")
public @interface DhtConfiguration {
    @AttributeDefinition(description = "UDP port of the interim DHT socket; 0 keeps the DHT off")
    int port() default 0;

    @AttributeDefinition(description = "Address the interim DHT socket binds")
    String bindAddress() default "0.0.0.0";

    @AttributeDefinition(description = "HOST:PORT of nodes to join at start")
    String[] bootstrapNodes() default {};
}
