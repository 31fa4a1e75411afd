package io.graytorrent.core.internal.files;

import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.Metainfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes a removed torrent's data: its own files only, then the directories they leave empty. */
public final class DataFiles {
    private static final Logger LOG = LoggerFactory.getLogger(DataFiles.class);

    private DataFiles() {
    }

    public static void delete(Metainfo metainfo, Path saveDirectory) {
        Path root = metainfo.multiFile() ? saveDirectory.resolve(metainfo.name()) : saveDirectory;
        try {
            for (FileEntry file : metainfo.files()) {
                if (!file.isPadding()) {
                    Path path = root;
                    for (String component : file.path()) {
                        path = path.resolve(component);
                    }
                    Files.deleteIfExists(path);
                    if (metainfo.multiFile()) {
                        deleteEmptyParents(path.getParent(), root);
                    }
                }
            }
            // the storage keeps bytes of skipped files here
            Files.deleteIfExists(saveDirectory.resolve("." + metainfo.infoHash().toHex() + ".parts"));
            if (metainfo.multiFile() && Files.isDirectory(root) && isEmpty(root)) {
                Files.delete(root);
            }
        } catch (IOException e) {
            LOG.warn("could not delete all data of {} in {}: {}", metainfo.name(), root, e.toString());
        }
    }

    private static void deleteEmptyParents(Path directory, Path root) throws IOException {
        for (Path dir = directory; dir != null && dir.startsWith(root) && !dir.equals(root); dir = dir.getParent()) {
            if (!Files.isDirectory(dir) || !isEmpty(dir)) {
                return;
            }
            Files.delete(dir);
        }
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (var entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }
}
