package io.graytorrent.core.internal.label;

import io.graytorrent.storage.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code state/torrent-<id>.labels} beside the torrent's {@code .record}: its labels, one a line
 * (UTF-8), replaced atomically; no file for no labels. A file that is not a torrent's labels
 * (a label that does not match, too many) is logged and ignored.
 */
final class LabelFiles {
    private static final Logger LOG = LoggerFactory.getLogger(LabelFiles.class);
    private static final String PREFIX = "torrent-";
    private static final String SUFFIX = ".labels";

    private final Path directory;

    LabelFiles(Path directory) {
        this.directory = directory;
    }

    Map<Integer, SortedSet<String>> loadAll() throws IOException {
        Map<Integer, SortedSet<String>> all = new HashMap<>();
        if (!Files.isDirectory(directory)) {
            return all;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    int id = Integer.parseInt(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
                    SortedSet<String> labels = Labels.checked(
                            new TreeSet<>(Files.readAllLines(file, StandardCharsets.UTF_8)));
                    all.put(id, Collections.unmodifiableSortedSet(labels));
                } catch (IllegalArgumentException e) {
                    LOG.warn("skipping {}: {}", file, e.getMessage());
                }
            }
        }
        return all;
    }

    void save(int id, SortedSet<String> labels) throws IOException {
        if (labels.isEmpty()) {
            delete(id);
        } else {
            Files.createDirectories(directory);
            AtomicFiles.write(file(id), (String.join("\n", labels) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    void delete(int id) throws IOException {
        Files.deleteIfExists(file(id));
    }

    private Path file(int id) {
        return directory.resolve(PREFIX + id + SUFFIX);
    }
}
