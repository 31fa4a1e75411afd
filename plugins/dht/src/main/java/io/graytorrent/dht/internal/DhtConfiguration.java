package io.graytorrent.dht.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The DHT node on the shared UDP socket (the peer wire's listen port). */
@ObjectClassDefinition(name = "graytorrent DHT", description = "Mainline DHT node (BEP 5, 32, 42): a peer source for public torrents")
public @interface DhtConfiguration {
    @AttributeDefinition(description = "HOST:PORT of nodes to join at start, besides the nodes saved at the last stop;"
            + " 'gray get --dht-node' replaces them")
    String[] bootstrapNodes() default {"router.bittorrent.com:6881", "router.utorrent.com:6881",
        "dht.transmissionbt.com:6881", "dht.libtorrent.org:25401"};

    @AttributeDefinition(description = "Outgoing DHT traffic at most, bytes per second (a token bucket)")
    int outBytesPerSecond() default 8000;

    @AttributeDefinition(description = "Datagrams one IP may send per second before it is ignored for a minute")
    int inPerIpPerSecond() default 20;

    @AttributeDefinition(description = "Peers stored per infohash announced to us")
    int maxPeersPerInfoHash() default 100;

    @AttributeDefinition(description = "Infohashes stored in all")
    int maxInfoHashes() default 5000;
}
