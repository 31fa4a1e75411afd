package io.graytorrent.core.internal.state;

import io.graytorrent.storage.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's records in the state directory: one {@link TorrentRecord} per torrent and the
 * {@code next-id} counter, each replaced atomically so that a crash leaves the old or the new
 * file. The counter is written before a record that uses its id, so ids are never handed out twice.
 * Thread-safe (synchronized: records are small and written rarely).
 */
public final class StateStore {
    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
    private static final String COUNTER = "next-id";
    private static final String PREFIX = "torrent-";
    private static final String SUFFIX = ".record";

    private final Path directory;
    private int nextId;

    public StateStore(Path directory) throws IOException {
        this.directory = directory;
        Files.createDirectories(directory);
        nextId = readCounter();
    }

    public Path directory() {
        return directory;
    }

    /** Every intact record, by id; damaged ones are logged and skipped (their ids stay used). */
    public synchronized List<TorrentRecord> loadAll() throws IOException {
        List<TorrentRecord> records = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            for (Path file : files) {
                try {
                    TorrentRecord record = TorrentRecord.decode(Files.readAllBytes(file));
                    records.add(record);
                    nextId = Math.max(nextId, record.id() + 1);
                } catch (IllegalArgumentException e) {
                    LOG.warn("skipping {}: {}", file, e.getMessage());
                }
            }
        }
        records.sort(Comparator.comparingInt(TorrentRecord::id));
        return records;
    }

    /** Hands out a new id and makes it durable before returning it. */
    public synchronized int allocateId() throws IOException {
        int id = nextId;
        AtomicFiles.write(directory.resolve(COUNTER), Integer.toString(id + 1).getBytes(StandardCharsets.US_ASCII));
        nextId = id + 1;
        return id;
    }

    public synchronized void save(TorrentRecord record) {
        try {
            AtomicFiles.write(recordFile(record.id()), record.encode());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the record of torrent " + record.id(), e);
        }
    }

    public synchronized void delete(int id) throws IOException {
        Files.deleteIfExists(recordFile(id));
    }

    private Path recordFile(int id) {
        return directory.resolve(PREFIX + id + SUFFIX);
    }

    private int readCounter() throws IOException {
        try {
            return Integer.parseInt(Files.readString(directory.resolve(COUNTER), StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return 1;
        } catch (NumberFormatException e) {
            LOG.warn("damaged id counter in {}; continuing after the highest record id", directory);
            return 1;
        }
    }
}
