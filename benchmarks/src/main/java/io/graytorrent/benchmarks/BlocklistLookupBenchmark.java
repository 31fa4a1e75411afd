package io.graytorrent.benchmarks;

import io.graytorrent.core.internal.blocklist.BlocklistParser;
import io.graytorrent.core.internal.blocklist.IpRanges;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The IP blocklist with {@code ranges} random ranges (IPv4, 1 to 4096 addresses each; a tenth as
 * many IPv6 /64s), as the engine asks it about every candidate and every accepted connection. One
 * operation = one lookup of an address from a pool of 4096 random ones (about half inside a range for
 * IPv4): {@code lookupIpv4} and {@code lookupIpv6} through {@link IpRanges#contains(InetAddress)},
 * as the engine calls it. {@code parseAndMerge}: reading the whole list as PeerGuardian text and
 * building the merged arrays, one operation per list.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = "-Xmx1g")
public class BlocklistLookupBenchmark {
    private static final int POOL = 4096;

    @Param({"1000000"})
    int ranges;

    private IpRanges list;
    private byte[] text;
    private final InetAddress[] ipv4 = new InetAddress[POOL];
    private final InetAddress[] ipv6 = new InetAddress[POOL];
    private int next;

    @Setup
    public void build() throws UnknownHostException {
        Random random = new Random(24);
        IpRanges.Builder builder = new IpRanges.Builder();
        StringBuilder p2p = new StringBuilder(ranges * 40);
        int[] starts = new int[ranges];
        for (int i = 0; i < ranges; i++) {
            int start = random.nextInt();
            int end = start + random.nextInt(4096);
            if (Integer.compareUnsigned(end, start) < 0) {
                end = -1;
            }
            starts[i] = start;
            builder.addV4(start, end);
            p2p.append("range ").append(i).append(':').append(dotted(start)).append('-').append(dotted(end)).append('\n');
        }
        long[] v6High = new long[ranges / 10];
        for (int i = 0; i < v6High.length; i++) {
            v6High[i] = 0x2000_0000_0000_0000L | random.nextLong() >>> 3;
            builder.addV6(v6High[i], 0, v6High[i], -1);
        }
        list = builder.build();
        text = p2p.toString().getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < POOL; i++) {
            int address = i % 2 == 0 ? starts[random.nextInt(ranges)] + random.nextInt(16) : random.nextInt();
            ipv4[i] = InetAddress.getByAddress(new byte[] {(byte) (address >>> 24), (byte) (address >>> 16),
                (byte) (address >>> 8), (byte) address});
            long high = i % 2 == 0 ? v6High[random.nextInt(v6High.length)] : 0x2000_0000_0000_0000L | random.nextLong() >>> 3;
            byte[] bytes = new byte[16];
            for (int b = 0; b < 8; b++) {
                bytes[b] = (byte) (high >>> (56 - 8 * b));
                bytes[8 + b] = (byte) random.nextInt();
            }
            ipv6[i] = InetAddress.getByAddress(bytes);
        }
    }

    private static String dotted(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    @Benchmark
    public boolean lookupIpv4() {
        return list.contains(ipv4[next++ & (POOL - 1)]);
    }

    @Benchmark
    public boolean lookupIpv6() {
        return list.contains(ipv6[next++ & (POOL - 1)]);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 5)
    public IpRanges parseAndMerge() throws Exception {
        return new BlocklistParser().parse(new ByteArrayInputStream(text)).ranges();
    }
}
