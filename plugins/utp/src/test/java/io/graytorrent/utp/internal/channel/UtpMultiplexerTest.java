package io.graytorrent.utp.internal.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import io.graytorrent.utp.internal.packet.MalformedPacketException;
import io.graytorrent.utp.internal.packet.PacketType;
import io.graytorrent.utp.internal.packet.UtpPacket;
import io.graytorrent.utp.internal.packet.UtpPacketCodec;
import io.graytorrent.utp.internal.protocol.UtpSettings;
import io.netty.channel.DefaultEventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hostile input at the socket: garbage, strays, endless RESETs and FINs, a SYN flood. */
@Unit
class UtpMultiplexerTest {
    private static final InetSocketAddress US = new InetSocketAddress("127.0.0.1", 6881);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 7000);

    private record Sent(InetSocketAddress to, UtpPacket packet) {
    }

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<InetSocketAddress> accepted = new CopyOnWriteArrayList<>();
    private final UtpMultiplexer multiplexer = new UtpMultiplexer(UtpSettings.DEFAULTS, 10, loops, (to, datagram) -> {
        try {
            sent.add(new Sent(to, UtpPacketCodec.decode(datagram.duplicate())));
        } catch (MalformedPacketException e) {
            throw new AssertionError(e);
        }
        return true;
    }, US, (channel, from) -> accepted.add(from));

    @AfterEach
    void stop() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static ByteBuffer packet(PacketType type, int id, int seq) {
        return UtpPacketCodec.encode(new UtpPacket(type, id, 1, 0, 1 << 20, seq, 0, null, new byte[0]));
    }

    @Test
    void garbageIsCountedAndAnsweredWithNothing() {
        multiplexer.onDatagram(PEER, ByteBuffer.wrap(new byte[] {0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0})); // DATA announcing an extension that is not there
        assertEquals(1, multiplexer.malformed());
        assertTrue(sent.isEmpty());
    }

    @Test
    void aStrayPacketGetsOneResetButAResetGetsNothing() {
        for (int i = 0; i < 100; i++) {
            multiplexer.onDatagram(PEER, packet(PacketType.RESET, 77, i));
        }
        assertTrue(sent.isEmpty(), "never a RESET for a RESET: two engines cannot ping-pong");
        multiplexer.onDatagram(PEER, packet(PacketType.FIN, 77, 5));
        assertEquals(1, sent.size());
        assertEquals(PEER, sent.get(0).to());
        assertEquals(PacketType.RESET, sent.get(0).packet().type());
        assertEquals(77, sent.get(0).packet().connectionId());
        assertEquals(0, multiplexer.connections(), "and no state was kept");
    }

    @Test
    void aSynFloodStopsAtTheConnectionLimit() throws Exception {
        for (int port = 1; port <= 100; port++) {
            multiplexer.onDatagram(new InetSocketAddress("127.0.0.1", 20_000 + port), packet(PacketType.SYN, port, 1));
        }
        assertEquals(10, multiplexer.connections());
        assertEquals(90, multiplexer.refused());
        Await.until("ten accepted", Duration.ofSeconds(5), () -> accepted.size() == 10);
        assertEquals(10, sent.stream().filter(s -> s.packet().type() == PacketType.STATE).count(),
                "an answer for each SYN taken, none for the rest");
    }
}
