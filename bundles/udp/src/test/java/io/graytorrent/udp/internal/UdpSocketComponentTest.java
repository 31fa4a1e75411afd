package io.graytorrent.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.peerwire.ExtensionRegistry;
import io.graytorrent.peerwire.PeerWire;
import io.graytorrent.peerwire.PeerWireSettings;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import io.graytorrent.udp.DatagramHandler;
import io.graytorrent.udp.DatagramKind;
import java.lang.reflect.Proxy;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The DS wrapper driven by hand, as the framework would: the peer wire's address, handlers bound early and late. */
@Unit
class UdpSocketComponentTest {
    private static final byte[] PING = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe"
            .getBytes(StandardCharsets.US_ASCII);

    private static UdpSocketConfiguration defaults() {
        return (UdpSocketConfiguration) Proxy.newProxyInstance(UdpSocketConfiguration.class.getClassLoader(),
                new Class<?>[] {UdpSocketConfiguration.class}, (proxy, method, args) -> method.getDefaultValue());
    }

    /** Counts the datagrams it gets. */
    private static final class Counting implements DatagramHandler {
        final AtomicInteger received = new AtomicInteger();

        @Override
        public DatagramKind kind() {
            return DatagramKind.KRPC;
        }

        @Override
        public void onDatagram(InetSocketAddress sender, ByteBuffer datagram) {
            received.incrementAndGet();
        }
    }

    @Test
    void bindsThePeerWiresAddressAndPortAndServesHandlersBoundBeforeAndAfterActivation() throws Exception {
        try (PeerWire wire = PeerWire.start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0),
                hash -> Optional.empty(), new ExtensionRegistry());
                DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            UdpSocketComponent component = new UdpSocketComponent();
            component.peerWire = wire;
            Counting early = new Counting();
            component.addHandler(early); // DS binds dynamic references before it activates
            component.activate(defaults());
            try {
                assertEquals(wire.listenAddress(), component.localAddress(), "TCP's address and port, over UDP");
                Counting late = new Counting();
                component.addHandler(late);
                peer.send(new DatagramPacket(PING, PING.length, component.localAddress()));
                Await.until("both handlers served", Duration.ofSeconds(10),
                        () -> early.received.get() == 1 && late.received.get() == 1);

                component.removeHandler(early);
                peer.send(new DatagramPacket(PING, PING.length, component.localAddress()));
                Await.until("the remaining handler served", Duration.ofSeconds(10), () -> late.received.get() == 2);
                assertEquals(1, early.received.get());
                assertTrue(component.send((InetSocketAddress) peer.getLocalSocketAddress(), ByteBuffer.wrap(PING)));
                DatagramPacket answer = new DatagramPacket(new byte[256], 256);
                peer.setSoTimeout(10_000);
                peer.receive(answer);
                assertEquals(component.localAddress(), answer.getSocketAddress(), "sent from the listen port");
            } finally {
                component.deactivate();
            }
        }
    }
}
