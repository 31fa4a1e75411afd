package io.graytorrent.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How storage should read a 128 KiB hashing chunk out of a file in the page cache: a positional
 * FileChannel read into a direct buffer (what storage does) or a copy out of a memory mapping.
 * One operation = one 128 KiB chunk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PieceReadBenchmark {
    private static final int CHUNK = 128 << 10;
    private static final int FILE_LENGTH = 64 << 20;

    private Path file;
    private FileChannel channel;
    private MappedByteBuffer mapping;
    private final ByteBuffer direct = ByteBuffer.allocateDirect(CHUNK);
    private long next;

    @Setup(Level.Trial)
    public void createFile() throws IOException {
        file = Files.createTempFile("gray-read", ".bin");
        byte[] content = new byte[FILE_LENGTH];
        new Random(1).nextBytes(content);
        Files.write(file, content);
        channel = FileChannel.open(file, StandardOpenOption.READ);
        mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, FILE_LENGTH);
    }

    @TearDown(Level.Trial)
    public void deleteFile() throws IOException {
        channel.close();
        Files.delete(file);
    }

    private long nextPosition() {
        long position = next;
        next = (next + CHUNK) % FILE_LENGTH;
        return position;
    }

    @Benchmark
    public int positionalRead() throws IOException {
        direct.clear();
        return channel.read(direct, nextPosition());
    }

    @Benchmark
    public int mappedCopy() {
        direct.clear();
        direct.put(mapping.slice((int) nextPosition(), CHUNK));
        return direct.position();
    }
}
