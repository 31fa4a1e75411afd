package io.graytorrent.core.internal.hook;

import io.graytorrent.storage.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code state/hooks-added-up-to}: the highest torrent id the add hook has heard of, so that after a
 * restart the torrents added since (by the watch folder, before this component started listening)
 * still count as added, and those before do not. Ids are never reused.
 */
final class AddedMark {
    private static final Logger LOG = LoggerFactory.getLogger(AddedMark.class);

    private final Path file;

    AddedMark(Path stateDirectory) {
        this.file = stateDirectory.resolve("hooks-added-up-to");
    }

    /** The mark; empty before the first one (or when the file is damaged). */
    OptionalInt read() {
        try {
            return OptionalInt.of(Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim()));
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            LOG.warn("damaged {}: starting from the torrents there are now", file);
            return OptionalInt.empty();
        }
    }

    void write(int id) {
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, Integer.toString(id).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", file, e.getMessage());
        }
    }
}
