package io.graytorrent.udp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "graytorrent UDP socket",
        description = "The UDP socket on the peer wire's listen address and port, shared by the DHT and uTP")
@interface UdpSocketConfiguration {

    @AttributeDefinition(description = "Largest datagram taken in, bytes; longer ones are dropped")
    int maxDatagram() default 4096;

    @AttributeDefinition(description = "Datagrams waiting for one queued handler (the DHT; uTP runs on the socket's thread) before newer ones are dropped")
    int handlerQueueLength() default 512;

    @AttributeDefinition(description = "Datagrams waiting to be sent, while the socket's send buffer is full, before more are refused")
    int sendQueueLength() default 1024;
}
