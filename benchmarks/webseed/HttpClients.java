import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two HTTP clients a web seed could use, fetching one file from a local server the way a web
 * seed does: ranges of 4 MiB, two connections each fetching its ranges in turn on one persistent
 * connection, the body cut into 16 KiB heap blocks. Prints MiB/s and CPU seconds per run.
 *
 * Run with benchmarks/webseed/http-clients.sh URL SIZE_BYTES [ROUNDS] (Netty's jars from ~/.m2).
 */
public class HttpClients {
    static final long RANGE = 4 << 20;
    static final int STREAMS = 2;
    static final int BLOCK = 16 * 1024;
    static final AtomicLong sink = new AtomicLong();

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        long size = Long.parseLong(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        measure("warm-up jdk", size, () -> jdk(jdk, uri, size));
        measure("warm-up netty", size, () -> netty(group, uri, size));
        for (int round = 0; round < rounds; round++) {
            measure("jdk HttpClient", size, () -> jdk(jdk, uri, size));
            measure("netty HttpClientCodec", size, () -> netty(group, uri, size));
        }
        group.shutdownGracefully();
    }

    interface Run {
        void run() throws Exception;
    }

    static void measure(String name, long size, Run run) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        run.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-22s %7.1f MiB/s  %5.2f CPU-s%n", name, size / 1048576.0 / seconds,
                (os.getProcessCpuTime() - cpu) / 1e9);
    }

    static void cut(ByteBuffer data, byte[][] block, int[] filled) {
        while (data.hasRemaining()) {
            int take = Math.min(data.remaining(), BLOCK - filled[0]);
            data.get(block[0], filled[0], take);
            filled[0] += take;
            if (filled[0] == BLOCK) {
                sink.addAndGet(block[0][BLOCK - 1]);
                block[0] = new byte[BLOCK];
                filled[0] = 0;
            }
        }
    }

    static void jdk(HttpClient client, URI uri, long size) throws Exception {
        CompletableFuture<?>[] streams = new CompletableFuture<?>[STREAMS];
        for (int s = 0; s < STREAMS; s++) {
            int stream = s;
            streams[s] = CompletableFuture.runAsync(() -> {
                for (long offset = stream * RANGE; offset < size; offset += STREAMS * RANGE) {
                    long last = Math.min(size, offset + RANGE) - 1;
                    HttpRequest request = HttpRequest.newBuilder(uri).header("Range", "bytes=" + offset + "-" + last).build();
                    client.sendAsync(request, info -> new Blocks()).join();
                }
            });
        }
        CompletableFuture.allOf(streams).join();
    }

    static final class Blocks implements BodySubscriber<Void> {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final byte[][] block = {new byte[BLOCK]};
        final int[] filled = {0};
        Flow.Subscription subscription;

        public CompletionStage<Void> getBody() {
            return done;
        }

        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        public void onNext(List<ByteBuffer> buffers) {
            buffers.forEach(b -> cut(b, block, filled));
            subscription.request(1);
        }

        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        public void onComplete() {
            done.complete(null);
        }
    }

    static void netty(NioEventLoopGroup group, URI uri, long size) throws Exception {
        CompletableFuture<?>[] streams = new CompletableFuture<?>[STREAMS];
        for (int s = 0; s < STREAMS; s++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            streams[s] = done;
            long firstOffset = s * RANGE;
            Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new SimpleChannelInboundHandler<HttpObject>() {
                                long offset = firstOffset;
                                final byte[][] block = {new byte[BLOCK]};
                                final int[] filled = {0};

                                public void channelActive(ChannelHandlerContext ctx) {
                                    ask(ctx.channel());
                                }

                                void ask(Channel channel) {
                                    long last = Math.min(size, offset + RANGE) - 1;
                                    var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri.getRawPath());
                                    request.headers().set(HttpHeaderNames.HOST, uri.getHost())
                                            .set(HttpHeaderNames.RANGE, "bytes=" + offset + "-" + last);
                                    channel.writeAndFlush(request);
                                }

                                protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
                                    if (message instanceof HttpResponse response && response.status().code() != 206) {
                                        done.completeExceptionally(new IllegalStateException(response.status().toString()));
                                    }
                                    if (message instanceof HttpContent content) {
                                        ByteBuf data = content.content();
                                        for (ByteBuffer b : data.nioBuffers()) {
                                            cut(b, block, filled);
                                        }
                                    }
                                    if (message instanceof LastHttpContent) {
                                        offset += STREAMS * RANGE;
                                        if (offset < size) {
                                            ask(ctx.channel());
                                        } else {
                                            ctx.close();
                                            done.complete(null);
                                        }
                                    }
                                }
                            });
                        }
                    });
            bootstrap.connect(uri.getHost(), uri.getPort());
        }
        CompletableFuture.allOf(streams).join();
    }
}
