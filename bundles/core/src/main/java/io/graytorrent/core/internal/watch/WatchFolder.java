package io.graytorrent.core.internal.watch;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.TorrentStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One look at the watch directory per {@link #poll()}: a {@code *.torrent} or {@code *.magnet}
 * file (a magnet link on its first line) is read once its size and modification time are the same
 * as at the look before, so a file still being written waits; it is then added and renamed
 * {@code NAME.added}, or {@code NAME.invalid} with the reason logged. Nothing is deleted. What was
 * there while the server was down is found at the first looks after it starts.
 */
final class WatchFolder {
    private static final Logger LOG = LoggerFactory.getLogger(WatchFolder.class);
    static final long MAX_TORRENT_BYTES = 32L << 20;
    static final int MAX_MAGNET_CHARS = 64 * 1024;
    /** Files looked at per poll, so a directory of thousands is worked through a bit at a time. */
    static final int MAX_FILES_PER_POLL = 256;

    private record Seen(long size, FileTime modified) {
    }

    private final Path directory;
    private final Path saveDirectory;
    private final boolean paused;
    private final TorrentService torrents;
    private Map<Path, Seen> lastLook = new HashMap<>();

    WatchFolder(Path directory, Path saveDirectory, boolean paused, TorrentService torrents) {
        this.directory = directory;
        this.saveDirectory = saveDirectory;
        this.paused = paused;
        this.torrents = torrents;
    }

    void poll() {
        Map<Path, Seen> thisLook = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.{torrent,magnet}")) {
            for (Path file : files) {
                if (thisLook.size() == MAX_FILES_PER_POLL) {
                    break;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException gone) {
                    continue;
                }
                if (!attributes.isRegularFile()) {
                    continue;
                }
                Seen seen = new Seen(attributes.size(), attributes.lastModifiedTime());
                if (seen.equals(lastLook.get(file))) {
                    take(file);
                } else {
                    thisLook.put(file, seen);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read the watch directory {}: {}", directory, e.getMessage());
        }
        lastLook = thisLook;
    }

    private void take(Path file) {
        try {
            TorrentStatus added = torrents.add(request(file));
            LOG.info("watch folder: added {} as torrent {} ({})", file.getFileName(), added.id(), added.name());
            rename(file, ".added");
        } catch (TorrentException e) {
            if (e.kind() == TorrentException.Kind.ALREADY_MANAGED) {
                // also what a file added just before a crash, and not yet renamed, finds after the restart
                LOG.info("watch folder: {}: {}", file.getFileName(), e.getMessage());
                rename(file, ".added");
            } else {
                LOG.warn("watch folder: {} not added: {}", file.getFileName(), e.getMessage());
                rename(file, ".invalid");
            }
        } catch (IOException e) {
            LOG.warn("watch folder: {} not added: {}", file.getFileName(), e.getMessage());
            rename(file, ".invalid");
        }
    }

    private AddTorrent request(Path file) throws IOException {
        long size = Files.size(file);
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".magnet")) {
            if (size > MAX_MAGNET_CHARS) {
                throw new IOException("a magnet file holds one link, not " + size + " bytes");
            }
            String link = Files.readString(file, StandardCharsets.UTF_8).strip().lines().findFirst().orElse("");
            if (!link.startsWith("magnet:?")) {
                throw new IOException("no magnet link on its first line");
            }
            return AddTorrent.magnet(link, saveDirectory, paused, List.of());
        }
        if (size > MAX_TORRENT_BYTES) {
            throw new IOException(size + " bytes is larger than any .torrent file");
        }
        return new AddTorrent(Files.readAllBytes(file), saveDirectory, paused, List.of());
    }

    private void rename(Path file, String suffix) {
        Path target = file.resolveSibling(file.getFileName() + suffix);
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.error("watch folder: cannot rename {} to {}: {}; it stays and will be tried again", file, target,
                    e.getMessage());
        }
    }
}
