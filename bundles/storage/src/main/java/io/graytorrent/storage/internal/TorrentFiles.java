package io.graytorrent.storage.internal;

import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.storage.AllocationMode;
import io.graytorrent.api.FilePriority;
import io.graytorrent.storage.internal.FileHandles.Handle;
import io.graytorrent.storage.internal.FileLayout.Slice;
import io.graytorrent.storage.internal.ResumeData.FileStamp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where each byte of one torrent lives: in its file below the save directory, in the torrent's
 * parts file (bytes of skipped files that were never created, kept at their torrent offset in a
 * sparse file), or nowhere (BEP 47 padding, which reads as zeros and is never written).
 * Thread-safe: positional I/O needs no lock; {@link #inParts} changes only on priority changes.
 */
final class TorrentFiles {
    private static final int COPY_CHUNK = 1 << 20;
    private static final int MAX_WRITE = 256 << 10;

    private final FileLayout map;
    private final FileHandles handles;
    private final PathGuard guard;
    private final List<Path> paths;
    private final Path partsPath;
    private final AllocationMode allocation;
    private volatile boolean[] inParts;

    TorrentFiles(Metainfo metainfo, FileLayout map, Path saveDirectory, FileHandles handles, AllocationMode allocation) {
        this.map = map;
        this.handles = handles;
        this.guard = new PathGuard(saveDirectory);
        this.allocation = allocation;
        Path root = guard.root();
        Path top = metainfo.multiFile() ? root.resolve(metainfo.name()) : root;
        this.paths = metainfo.files().stream().map(file -> resolve(top, file)).toList();
        this.partsPath = root.resolve("." + metainfo.infoHash().toHex() + ".parts");
        this.inParts = new boolean[map.fileCount()];
    }

    private static Path resolve(Path top, FileEntry file) {
        Path path = top;
        for (String component : file.path()) {
            path = path.resolve(component);
        }
        return path;
    }

    Path path(int file) {
        return paths.get(file);
    }

    /** Every file this torrent may write, the parts file included. */
    List<Path> allPaths() {
        List<Path> all = new ArrayList<>(paths);
        all.add(partsPath);
        return all;
    }

    boolean inParts(int file) {
        return inParts[file];
    }

    /** A skipped file that does not exist keeps its bytes in the parts file; any other file on disk. */
    void locate(List<FilePriority> priorities) {
        boolean[] located = new boolean[paths.size()];
        for (int file = 0; file < located.length; file++) {
            located[file] = priorities.get(file) == FilePriority.SKIP && !map.file(file).isPadding()
                    && !Files.exists(paths.get(file), LinkOption.NOFOLLOW_LINKS);
        }
        inParts = located;
    }

    /**
     * Creates wanted zero-length files, moves the kept bytes of files that left the parts file into
     * place (the edge pieces and every piece in {@code verified}) and, in FULL mode, allocates.
     * Files with nothing to do are not opened, so complete data on a read-only disk stays seedable.
     */
    void prepare(List<FilePriority> priorities, BitSet verified) throws IOException {
        boolean[] located = inParts.clone();
        for (int file = 0; file < paths.size(); file++) {
            FileEntry entry = map.file(file);
            if (entry.isPadding() || priorities.get(file) == FilePriority.SKIP || !needsWork(file, located[file])) {
                continue;
            }
            try (Handle handle = handles.forWrite(paths.get(file), guard)) {
                if (located[file]) {
                    moveOutOfParts(file, handle, verified);
                    located[file] = false;
                    inParts = located.clone();
                }
                if (allocation == AllocationMode.FULL) {
                    allocate(handle, entry.length());
                }
            }
        }
        if (!priorities.contains(FilePriority.SKIP) && Files.exists(partsPath, LinkOption.NOFOLLOW_LINKS)) {
            // nothing is kept for skipped files any more (checked first: a read-only disk refuses even a no-op delete)
            handles.closeAll(List.of(partsPath));
            Files.delete(partsPath);
        }
    }

    private boolean needsWork(int file, boolean located) throws IOException {
        FileStamp stamp = stamp(paths.get(file));
        return located || stamp.equals(FileStamp.ABSENT)
                || (allocation == AllocationMode.FULL && stamp.size() < map.file(file).length());
    }

    private void moveOutOfParts(int file, Handle target, BitSet verified) throws IOException {
        int first = map.firstPiece(file);
        int last = map.lastPiece(file);
        for (int piece = first; piece <= last; piece++) {
            if (piece != first && piece != last && !verified.get(piece)) {
                continue;
            }
            for (Slice slice : map.pieceSlices(piece)) {
                if (slice.file() == file) {
                    copyFromParts(slice, target);
                }
            }
        }
        target.markDirty();
    }

    private void copyFromParts(Slice slice, Handle target) throws IOException {
        long partsPosition = map.file(slice.file()).offset() + slice.fileOffset();
        ByteBuffer buffer = ByteBuffer.allocate(Math.min(COPY_CHUNK, slice.length()));
        try (Handle parts = handles.forRead(partsPath, guard)) {
            for (long done = 0; done < slice.length(); ) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), slice.length() - done));
                if (!readFully(parts, partsPosition + done, buffer)) {
                    return; // never written: nothing kept for these bytes
                }
                writeFully(target, slice.fileOffset() + done, buffer.flip());
                done += buffer.limit();
            }
        } catch (NoSuchFileException e) {
            // no parts file: nothing was kept
        }
    }

    private static void allocate(Handle handle, long length) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(COPY_CHUNK);
        for (long size = handle.channel.size(); size < length; size += zeros.limit()) {
            zeros.clear().limit((int) Math.min(COPY_CHUNK, length - size));
            writeFully(handle, size, zeros);
        }
        handle.markDirty();
    }

    /** Writes {@code data} at {@code torrentOffset}, skipping padding. */
    void write(long torrentOffset, ByteBuffer data) throws IOException {
        ByteBuffer source = data.duplicate();
        for (Slice slice : map.slices(torrentOffset, source.remaining())) {
            source.limit(source.position() + slice.length());
            if (!map.file(slice.file()).isPadding()) {
                try (Handle handle = handles.forWrite(where(slice), guard)) {
                    writeFully(handle, position(slice), source);
                }
            }
            source.position(source.limit());
        }
    }

    /** Reads {@code destination.remaining()} bytes from {@code torrentOffset}; false when some are missing. */
    boolean read(long torrentOffset, ByteBuffer destination) throws IOException {
        for (Slice slice : map.slices(torrentOffset, destination.remaining())) {
            ByteBuffer part = destination.slice(destination.position(), slice.length());
            if (map.file(slice.file()).isPadding()) {
                while (part.hasRemaining()) {
                    part.put((byte) 0);
                }
            } else {
                try (Handle handle = handles.forRead(where(slice), guard)) {
                    if (!readFully(handle, position(slice), part)) {
                        return false;
                    }
                } catch (NoSuchFileException e) {
                    return false;
                }
            }
            destination.position(destination.position() + slice.length());
        }
        return true;
    }

    private Path where(Slice slice) {
        return inParts[slice.file()] ? partsPath : paths.get(slice.file());
    }

    private long position(Slice slice) {
        return inParts[slice.file()] ? map.file(slice.file()).offset() + slice.fileOffset() : slice.fileOffset();
    }

    /** Closes this torrent's file handles, so the next access reopens (and re-checks) them. */
    void closeHandles() {
        handles.closeAll(allPaths());
    }

    /** Forces every file of this torrent that was written since the last force. */
    void force() throws IOException {
        handles.force(allPaths());
    }

    /** Stamps for the resume record: each file (padding and absent files: ABSENT) and the parts file. */
    List<FileStamp> stamps() throws IOException {
        List<FileStamp> stamps = new ArrayList<>();
        for (int file = 0; file < paths.size(); file++) {
            stamps.add(map.file(file).isPadding() ? FileStamp.ABSENT : stamp(paths.get(file)));
        }
        return stamps;
    }

    FileStamp partsStamp() throws IOException {
        return stamp(partsPath);
    }

    private static FileStamp stamp(Path path) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return new FileStamp(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
        } catch (NoSuchFileException e) {
            return FileStamp.ABSENT;
        }
    }

    private static boolean readFully(Handle handle, long position, ByteBuffer buffer) throws IOException {
        for (long at = position; buffer.hasRemaining(); ) {
            int read = handle.channel.read(buffer, at);
            if (read < 0) {
                return false;
            }
            at += read;
        }
        return true;
    }

    /**
     * Writes at most {@value #MAX_WRITE} bytes per system call: for a larger write the kernel (6.x,
     * ext4) gives the page cache folios as large as the write, and finding free memory that large
     * cost up to 10 times the system time of 256 KiB writes (dd of 1 GiB: 1 MiB writes 0.18-2.45 s,
     * 256 KiB 0.23-0.25 s, 16 KiB 0.41-0.53 s, system time).
     */
    private static void writeFully(Handle handle, long position, ByteBuffer buffer) throws IOException {
        int end = buffer.limit();
        int start = buffer.position();
        try {
            for (long at = position; buffer.position() < end; ) {
                buffer.limit(Math.min(end, buffer.position() + MAX_WRITE));
                at += handle.channel.write(buffer, at);
            }
        } finally {
            buffer.limit(end);
            handle.wrote(buffer.position() - start);
        }
    }
}
