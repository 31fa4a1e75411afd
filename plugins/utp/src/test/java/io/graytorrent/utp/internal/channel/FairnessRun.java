package io.graytorrent.utp.internal.channel;

import io.graytorrent.utp.internal.protocol.UtpSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two child processes of {@link FairnessTest}, each inside its own network namespace.
 * <pre>
 * FairnessRun receive ADDRESS UTP_PORT TCP_PORT SECONDS
 * FairnessRun send FROM TO UTP_PORT TCP_PORT ALONE_SECONDS SHARED_SECONDS
 * </pre>
 * The receiver accepts one uTP flow (a {@link UtpMultiplexer} on a real UDP socket) and one TCP
 * flow, prints "ready", then from the first uTP byte on prints every second
 * "second=N utp=BYTES tcp=BYTES" (bytes received so far by each flow) for SECONDS, then "done".
 * The sender sends over uTP as fast as it is let for the whole run, and from ALONE_SECONDS on over
 * TCP as well; it prints its uTP connection's statistics at the end.
 */
public final class FairnessRun {
    private static final byte[] CHUNK = new byte[64 << 10];

    private FairnessRun() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("receive")) {
            receive(InetAddress.getByName(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
        } else {
            send(InetAddress.getByName(args[1]), InetAddress.getByName(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]));
        }
        System.exit(0);
    }

    private static void receive(InetAddress address, int utpPort, int tcpPort, int seconds) throws Exception {
        AtomicLong utpBytes = new AtomicLong();
        AtomicLong tcpBytes = new AtomicLong();
        DatagramChannel socket = DatagramChannel.open().bind(new InetSocketAddress(address, utpPort));
        UtpMultiplexer receiver = new UtpMultiplexer(UtpSettings.DEFAULTS, 4, new DefaultEventLoopGroup(1),
                (to, d) -> send(socket, d, to), (InetSocketAddress) socket.getLocalAddress(), (channel, from) -> {
                    channel.pipeline().addLast(new Counter(utpBytes));
                    channel.config().setAutoRead(true);
                });
        daemon(() -> receive(socket, receiver));
        ServerSocket server = new ServerSocket(tcpPort, 1, address);
        daemon(() -> {
            try (Socket in = server.accept(); InputStream bytes = in.getInputStream()) {
                byte[] buffer = new byte[64 << 10];
                for (int n; (n = bytes.read(buffer)) >= 0; ) {
                    tcpBytes.addAndGet(n);
                }
            } catch (IOException e) {
                System.out.println("tcp receiver: " + e);
            }
        });
        System.out.println("ready");
        while (utpBytes.get() == 0) {
            Thread.sleep(1);
        }
        long start = System.nanoTime();
        for (int second = 1; second <= seconds; second++) {
            Thread.sleep(Math.max(0, TimeUnit.SECONDS.toMillis(second) - (System.nanoTime() - start) / 1_000_000));
            System.out.println("second=" + second + " utp=" + utpBytes.get() + " tcp=" + tcpBytes.get());
        }
        System.out.println("done");
    }

    private static void send(InetAddress from, InetAddress to, int utpPort, int tcpPort, int alone, int shared)
            throws Exception {
        DatagramChannel socket = DatagramChannel.open().bind(new InetSocketAddress(from, 0));
        UtpMultiplexer sender = new UtpMultiplexer(UtpSettings.DEFAULTS, 4, new DefaultEventLoopGroup(1),
                (address, d) -> send(socket, d, address), (InetSocketAddress) socket.getLocalAddress(), (c, a) -> { });
        daemon(() -> receive(socket, sender));
        Channel utp = sender.connect(new InetSocketAddress(to, utpPort)).get(10, TimeUnit.SECONDS);
        daemon(() -> {
            while (utp.isActive()) {
                if (utp.isWritable()) {
                    utp.writeAndFlush(Unpooled.wrappedBuffer(CHUNK));
                } else {
                    pause();
                }
            }
        });
        Thread.sleep(TimeUnit.SECONDS.toMillis(alone));
        daemon(() -> {
            try (Socket out = new Socket(to, tcpPort, from, 0); OutputStream bytes = out.getOutputStream()) {
                while (true) {
                    bytes.write(CHUNK);
                }
            } catch (IOException e) {
                System.out.println("tcp sender: " + e);
            }
        });
        Thread.sleep(TimeUnit.SECONDS.toMillis(shared));
        System.out.println("sender " + ((UtpChannel) utp).connection().lossStatistics());
    }

    private static boolean send(DatagramChannel socket, ByteBuffer datagram, InetSocketAddress to) {
        try {
            return socket.send(datagram, to) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void receive(DatagramChannel socket, UtpMultiplexer multiplexer) {
        try {
            while (true) {
                ByteBuffer datagram = ByteBuffer.allocate(2048);
                InetSocketAddress from = (InetSocketAddress) socket.receive(datagram);
                multiplexer.onDatagram(from, datagram.flip());
            }
        } catch (IOException e) {
            System.out.println("udp receiver: " + e);
        }
    }

    private static void daemon(Runnable body) {
        Thread thread = new Thread(body);
        thread.setDaemon(true);
        thread.start();
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Counter extends ChannelInboundHandlerAdapter {
        private final AtomicLong bytes;

        Counter(AtomicLong bytes) {
            this.bytes = bytes;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            bytes.addAndGet(buf.readableBytes());
            buf.release();
        }
    }
}
