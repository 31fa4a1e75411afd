package io.graytorrent.dht.internal;

import io.graytorrent.udp.DatagramHandler;
import io.graytorrent.udp.DatagramKind;
import io.graytorrent.udp.DatagramStats;
import io.graytorrent.udp.UdpSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * A plain {@link UdpSocket} on one loopback address for tests: one blocking channel, one thread
 * handing every datagram to one handler. The engine's own socket lives in the udp bundle.
 */
final class ChannelUdpSocket implements UdpSocket, AutoCloseable {
    private final DatagramChannel channel;
    private final Thread reader;
    private volatile DatagramHandler handler;

    ChannelUdpSocket(InetSocketAddress bind) throws IOException {
        channel = DatagramChannel.open(StandardProtocolFamily.INET).bind(bind);
        reader = new Thread(this::read, "test-udp-" + bind);
        reader.setDaemon(true);
        reader.start();
    }

    void handTo(DatagramHandler receiver) {
        handler = receiver;
    }

    private void read() {
        while (channel.isOpen()) {
            ByteBuffer buffer = ByteBuffer.allocate(2048);
            try {
                InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                DatagramHandler receiver = handler;
                if (receiver != null) {
                    receiver.onDatagram(from, buffer.flip());
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean supports(ProtocolFamily family) {
        return family == StandardProtocolFamily.INET;
    }

    @Override
    public boolean send(InetSocketAddress to, ByteBuffer datagram) {
        try {
            channel.send(datagram.duplicate(), to);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public DatagramStats stats(DatagramKind kind) {
        return new DatagramStats(0, 0, 0, 0);
    }

    @Override
    public long unclassified() {
        return 0;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
