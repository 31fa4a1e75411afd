package io.graytorrent.storage;

import io.graytorrent.api.FilePriority;
import io.graytorrent.metainfo.Metainfo;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Opens torrents' storage; owns the disk pool, the file-handle pool and the resume records. */
@org.osgi.annotation.versioning.ProviderType
public interface StorageService extends AutoCloseable {

    /**
     * Opens (or creates) the storage of a torrent whose files live below {@code saveDirectory}.
     * With a matching resume record whose file sizes and mtimes match the disk, its verified
     * pieces are trusted without hashing; pieces touching files that changed are re-hashed;
     * without a record, data already on disk is hashed (so existing data becomes seedable).
     *
     * @param priorities one per file, or empty to take them from the resume record (default NORMAL)
     */
    CompletableFuture<TorrentStorage> open(Metainfo metainfo, Path saveDirectory, List<FilePriority> priorities);

    /**
     * Moves a closed torrent's files from below {@code from} to below {@code to} on the disk pool, and
     * points its resume record at the new place, so that opening it there trusts what was verified.
     * Within a file system the files are renamed; across file systems they are copied, their sizes
     * checked, and the old copies deleted last. On failure (no space, permissions, a file already
     * there) the data stays where it was and the future fails with a {@link StorageException} saying why.
     * Fails at once (INVALID_REQUEST) while the torrent is open.
     */
    CompletableFuture<Void> move(Metainfo metainfo, Path from, Path to);

    DiskPool diskPool();

    /** Stops the disk pool after queued work; close torrents first. */
    @Override
    void close();
}
