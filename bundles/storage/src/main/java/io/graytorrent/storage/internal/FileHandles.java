package io.graytorrent.storage.internal;

import io.graytorrent.storage.StorageException;
import io.graytorrent.storage.StorageException.Reason;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, least-recently-used pool of open files shared by all torrents. A handle is leased
 * while in use and never closed under a lease; when every handle is leased the pool briefly holds
 * more than its capacity and shrinks back as leases end. Closing a handle that was written forces
 * it first, so a later {@link #force} still covers those writes.
 *
 * <p>Writeback: once {@link #DEFAULT_WRITEBACK_BYTES} have been written (all files together) since
 * the last one, a background thread forces every file written, so the data reaches the disk while
 * the download goes on and the checkpoint after the last piece has little left to force (a 1 GiB
 * download's final force took ~1.5 s when the kernel had written nothing back yet: with 20 GiB of
 * RAM its 10 % background threshold is far above a torrent). It records nothing: the checkpoint's
 * own {@link #force} still decides what is on disk, waiting for a background force in progress.
 */
final class FileHandles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileHandles.class);
    private static final OpenOption[] READ = {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};
    private static final OpenOption[] WRITE = {StandardOpenOption.READ, StandardOpenOption.WRITE,
            StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS};

    /** Bytes written between background writebacks: large enough to keep fsyncs few, small enough to leave little. */
    static final long DEFAULT_WRITEBACK_BYTES = 32L << 20;

    /** An open file; {@link #close()} ends the lease. */
    final class Handle implements AutoCloseable {
        final Path path;
        final FileChannel channel;
        final boolean writable;
        private int leases;
        private boolean retired;
        private volatile boolean dirty;
        /** A force is under way: {@link #dirty} was cleared, the data may not be on disk yet. */
        private volatile boolean forcing;

        private Handle(Path path, FileChannel channel, boolean writable) {
            this.path = path;
            this.channel = channel;
            this.writable = writable;
        }

        void markDirty() {
            dirty = true;
        }

        /** After a write of {@code bytes} (not before: a force racing with the write must leave it marked). */
        void wrote(long bytes) {
            dirty = true;
            countForWriteback(bytes);
        }

        /** Dirty, or being forced by another thread: a force now must wait for that one. Reads {@code dirty} first. */
        boolean needsForce() {
            return dirty || forcing;
        }

        /** Forces the file if it was written since its last force; one force at a time, the next waits. */
        synchronized void forceIfDirty() throws IOException {
            if (!dirty) {
                return;
            }
            forcing = true;
            dirty = false; // before the force: a write ending during it marks it again
            try {
                channel.force(true);
            } catch (IOException | RuntimeException e) {
                dirty = true;
                throw e;
            } finally {
                forcing = false;
            }
        }

        @Override
        public void close() {
            release(this);
        }
    }

    private int capacity;
    private final Map<Path, Handle> open = new LinkedHashMap<>(16, 0.75f, true);
    /** Files whose data could not be forced when their handle was evicted: the next force must fail. */
    private final Set<Path> unforced = new HashSet<>();
    private final long writebackBytes;
    private final AtomicLong writtenSinceWriteback = new AtomicLong();
    private final AtomicBoolean writebackQueued = new AtomicBoolean();
    /** One daemon thread, started on the first writeback; never interrupted (that would close the channel it forces). */
    private final ExecutorService writeback = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "gray-writeback");
        thread.setDaemon(true);
        return thread;
    });

    FileHandles(int capacity) {
        this(capacity, DEFAULT_WRITEBACK_BYTES);
    }

    /** {@code writebackBytes}: written bytes between background writebacks, 0 for none. */
    FileHandles(int capacity, long writebackBytes) {
        this.capacity = capacity;
        this.writebackBytes = writebackBytes;
    }

    /** A new capacity; handles over it that no one leases close now, the others when released. */
    synchronized void setCapacity(int capacity) {
        this.capacity = capacity;
        shrink();
    }

    /** Leases a handle that can write, creating the file and its parents inside the guard's root. */
    synchronized Handle forWrite(Path path, PathGuard guard) throws IOException {
        Handle handle = open.get(path);
        if (handle == null || !handle.writable) {
            guard.prepareParents(path);
            checkRegularOrAbsent(path);
            return replaceLeased(path, new Handle(path, FileChannel.open(path, WRITE), true));
        }
        handle.leases++;
        return handle;
    }

    /** Leases a handle that can read; {@link NoSuchFileException} when the file does not exist. */
    synchronized Handle forRead(Path path, PathGuard guard) throws IOException {
        Handle handle = open.get(path);
        if (handle == null) {
            guard.checkParent(path);
            checkRegularOrAbsent(path);
            return replaceLeased(path, new Handle(path, FileChannel.open(path, READ), false));
        }
        handle.leases++;
        return handle;
    }

    /** Forces the written data of these files to disk. */
    void force(Collection<Path> paths) throws IOException {
        List<Handle> leased = new ArrayList<>();
        synchronized (this) {
            for (Path path : paths) {
                if (unforced.remove(path)) {
                    throw new IOException("data of " + path + " could not be forced to disk when it was closed");
                }
                Handle handle = open.get(path);
                if (handle != null && handle.needsForce()) {
                    handle.leases++;
                    leased.add(handle);
                }
            }
        }
        try {
            for (Handle handle : leased) {
                handle.forceIfDirty();
            }
        } finally {
            leased.forEach(this::release);
        }
    }

    private void countForWriteback(long bytes) {
        if (writebackBytes > 0 && writtenSinceWriteback.addAndGet(bytes) >= writebackBytes
                && writebackQueued.compareAndSet(false, true)) {
            try {
                writeback.execute(this::writeBack);
            } catch (RejectedExecutionException e) {
                writebackQueued.set(false); // closed
            }
        }
    }

    /** Forces every open file written since its last force; a failure is left for the checkpoint's force to meet. */
    private void writeBack() {
        writtenSinceWriteback.set(0);
        List<Handle> dirty = new ArrayList<>();
        synchronized (this) {
            for (Handle handle : open.values()) {
                if (handle.dirty) {
                    handle.leases++;
                    dirty.add(handle);
                }
            }
        }
        try {
            for (Handle handle : dirty) {
                try {
                    handle.forceIfDirty();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("background writeback of {} failed: {}", handle.path, e.toString());
                }
            }
        } finally {
            dirty.forEach(this::release);
            writebackQueued.set(false);
        }
    }

    /** Closes these files' handles (those leased close when released), e.g. to retry after an error. */
    synchronized void closeAll(Collection<Path> paths) {
        for (Path path : paths) {
            unforced.remove(path);
            Handle handle = open.remove(path);
            if (handle != null) {
                retire(handle);
            }
        }
    }

    @Override
    public void close() {
        writeback.shutdown(); // a writeback under way holds its leases: those files close when it ends
        synchronized (this) {
            closeAll(new ArrayList<>(open.keySet()));
        }
    }

    private synchronized void release(Handle handle) {
        handle.leases--;
        if (handle.leases == 0 && handle.retired) {
            closeQuietly(handle);
        }
        shrink();
    }

    /**
     * Puts a new handle in the pool, already leased: leased before {@link #shrink()}, which would
     * otherwise close it at once when every other handle is leased (a background writeback leases
     * every dirty file, so with more files than the capacity the disk thread's new handle was the
     * only idle one and was written after it closed).
     */
    private Handle replaceLeased(Path path, Handle fresh) {
        fresh.leases++;
        Handle previous = open.put(path, fresh);
        if (previous != null) {
            retire(previous);
        }
        shrink();
        return fresh;
    }

    private void retire(Handle handle) {
        handle.retired = true;
        if (handle.leases == 0) {
            closeQuietly(handle);
        }
    }

    private void shrink() {
        Iterator<Handle> eldestFirst = open.values().iterator();
        while (open.size() > capacity && eldestFirst.hasNext()) {
            Handle handle = eldestFirst.next();
            if (handle.leases == 0) {
                eldestFirst.remove();
                closeQuietly(handle);
            }
        }
    }

    private void closeQuietly(Handle handle) {
        try (FileChannel channel = handle.channel) {
            if (handle.dirty) {
                channel.force(true);
            }
        } catch (IOException e) {
            LOG.warn("closing {} failed: {}", handle.path, e.toString());
            if (handle.dirty) {
                unforced.add(handle.path);
            }
        }
    }

    private static void checkRegularOrAbsent(Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (attributes.isSymbolicLink()) {
            throw new StorageException(Reason.PATH_ESCAPE, path + " is a symlink");
        }
        if (!attributes.isRegularFile()) {
            throw new StorageException(Reason.NOT_A_FILE, path + " is not a regular file");
        }
    }
}
