package io.graytorrent.benchmarks;

import io.graytorrent.bencode.BValue;
import io.graytorrent.bencode.BencodeDecoder;
import io.graytorrent.bencode.BencodeEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Bencode decoding of the two shapes the engine reads most: a .torrent (one big {@code pieces} string
 * plus a file list) and a tracker reply (a peer list of small dictionaries). One operation decodes
 * one whole document: the .torrent with the canonical checks (sorted keys) an info dictionary gets,
 * the reply as the HTTP tracker client decodes it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BencodeDecodeBenchmark {
    /** Files in the .torrent (each with a two-component path); peers in the tracker reply. */
    @Param({"1", "1000"})
    int entries;

    private final BencodeDecoder decoder = new BencodeDecoder();
    private byte[] torrent;
    private byte[] trackerReply;

    @Setup
    public void encodeDocuments() {
        Random random = new Random(1);
        byte[] pieces = new byte[20 * 4096]; // 1 GiB in 256 KiB pieces
        random.nextBytes(pieces);
        List<Object> files = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            files.add(Map.of("length", 1_000_000L + i, "path", List.of("directory-" + i % 10, "file-" + i + ".bin")));
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("files", files);
        info.put("name", "benchmark");
        info.put("piece length", 262_144L);
        info.put("pieces", pieces);
        torrent = BencodeEncoder.encode(Map.of("announce", "http://127.0.0.1:6969/announce", "info", info));
        List<Object> peers = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            peers.add(Map.of("ip", "10.0." + i / 256 % 256 + "." + i % 256, "peer id", "-GT0100-" + (100_000_000_000L + i),
                    "port", 6881L + i));
        }
        trackerReply = BencodeEncoder.encode(Map.of("complete", 10L, "incomplete", 20L, "interval", 1800L, "peers", peers));
    }

    @Benchmark
    public BValue torrentFile() {
        return decoder.decodeCanonical(torrent);
    }

    @Benchmark
    public BValue trackerReply() {
        return decoder.decode(trackerReply);
    }
}
