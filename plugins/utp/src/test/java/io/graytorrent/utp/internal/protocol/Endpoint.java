package io.graytorrent.utp.internal.protocol;

import io.graytorrent.utp.internal.packet.MalformedPacketException;
import io.graytorrent.utp.internal.packet.PacketType;
import io.graytorrent.utp.internal.packet.UtpPacket;
import io.graytorrent.utp.internal.packet.UtpPacketCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One side of a simulated uTP connection: a {@link UtpConnection} on the simulation's clock whose
 * packets cross a {@link Link} encoded and decoded, an application that writes {@code toSend} as
 * the connection takes it and closes after, and keeps what it reads.
 */
final class Endpoint implements UtpConnection.Events {
    final Simulation sim;
    final UtpSettings settings;
    UtpConnection connection;
    Endpoint peer;
    Link out;
    final List<UtpPacket> sentPackets = new ArrayList<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private ByteBuffer toSend = ByteBuffer.allocate(0);
    boolean closeWhenSent;
    boolean reading = true;
    boolean connected;
    String closedReason;
    boolean closedInError;
    int firstSeq = 1000;

    Endpoint(Simulation sim, UtpSettings settings) {
        this.sim = sim;
        this.settings = settings;
    }

    /** Joins {@code a} and {@code b} by {@code ab} and {@code ba} and ticks both every 5 ms. */
    static void wire(Endpoint a, Endpoint b, Link ab, Link ba) {
        a.peer = b;
        b.peer = a;
        a.out = ab;
        b.out = ba;
        a.sim.every(5_000, () -> {
            a.tick();
            b.tick();
        });
    }

    void connect(int receiveId) {
        connection = UtpConnection.connect(settings, sim::now, this::transmit, this, receiveId);
    }

    void send(byte[] data, boolean thenClose) {
        toSend = ByteBuffer.wrap(data);
        closeWhenSent = thenClose;
        writable();
    }

    private void transmit(UtpPacket packet) {
        sentPackets.add(packet);
        ByteBuffer datagram = UtpPacketCodec.encode(packet);
        out.send(datagram.remaining(), () -> peer.arrive(datagram.duplicate()));
    }

    private void arrive(ByteBuffer datagram) {
        UtpPacket packet;
        try {
            packet = UtpPacketCodec.decode(datagram);
        } catch (MalformedPacketException e) {
            throw new AssertionError(e);
        }
        if (connection == null && packet.type() == PacketType.SYN) {
            connection = UtpConnection.accept(settings, sim::now, this::transmit, this, packet, firstSeq);
            connected = true;
            writable();
        } else if (connection != null) {
            connection.onPacket(packet);
            sim.at(sim.now(), connection::flushAck);
        }
    }

    void tick() {
        if (connection != null) {
            connection.tick();
            if (!connection.bookkeepingHolds()) {
                throw new AssertionError("resend and in-flight counts drifted: " + connection);
            }
        }
    }

    void startReading() {
        reading = true;
        readable();
    }

    @Override
    public void connected() {
        connected = true;
    }

    @Override
    public void readable() {
        if (!reading) {
            return;
        }
        for (byte[] chunk = connection.read(); chunk != null; chunk = connection.read()) {
            received.writeBytes(chunk);
        }
        if (connection.endOfStream()) {
            sim.at(sim.now(), connection::close);
        }
    }

    @Override
    public void writable() {
        if (connection == null) {
            return;
        }
        connection.write(toSend);
        if (!toSend.hasRemaining() && closeWhenSent) {
            closeWhenSent = false;
            connection.close();
        }
    }

    @Override
    public void closed(String reason, boolean error) {
        closedReason = reason;
        closedInError = error;
    }

    boolean closed() {
        return closedReason != null;
    }
}
