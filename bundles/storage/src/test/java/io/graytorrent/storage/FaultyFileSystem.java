package io.graytorrent.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default file system with injected faults, for machines where a test may not mount a tmpfs:
 * a byte quota on file growth (ENOSPC once spent), a read-only switch (EROFS on any change) and
 * failing fsyncs (EIO).
 * The errors carry the messages the JDK gives for the real ones.
 */
final class FaultyFileSystem extends FileSystem {
    private final FileSystem base = FileSystems.getDefault();
    private final FileSystemProvider baseProvider = base.provider();
    private final Provider provider = new Provider();
    private final AtomicLong quota;
    private volatile boolean readOnly;
    private volatile boolean forceFails;

    FaultyFileSystem(long quotaBytes, boolean readOnly) {
        this.quota = new AtomicLong(quotaBytes);
        this.readOnly = readOnly;
    }

    /** The same directory seen through this file system. */
    Path wrap(Path path) {
        return path == null ? null : new FaultyPath(path);
    }

    void grow(long bytes) {
        quota.addAndGet(bytes);
    }

    void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    /** Makes fsync fail with EIO, as a dying disk does. */
    void setForceFails(boolean forceFails) {
        this.forceFails = forceFails;
    }

    private static Path unwrap(Path path) {
        return path instanceof FaultyPath faulty ? faulty.base : path;
    }

    private void checkWritable(Path path) throws FileSystemException {
        if (readOnly) {
            throw new FileSystemException(path.toString(), null, "Read-only file system");
        }
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public String getSeparator() {
        return base.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        List<Path> roots = new ArrayList<>();
        base.getRootDirectories().forEach(root -> roots.add(wrap(root)));
        return roots;
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return base.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return base.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return wrap(base.getPath(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher matcher = base.getPathMatcher(syntaxAndPattern);
        return path -> matcher.matches(unwrap(path));
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return base.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException();
    }

    private final class FaultyPath implements Path {
        private final Path base;

        FaultyPath(Path base) {
            this.base = base;
        }

        @Override
        public FileSystem getFileSystem() {
            return FaultyFileSystem.this;
        }

        @Override
        public boolean isAbsolute() {
            return base.isAbsolute();
        }

        @Override
        public Path getRoot() {
            return wrap(base.getRoot());
        }

        @Override
        public Path getFileName() {
            return wrap(base.getFileName());
        }

        @Override
        public Path getParent() {
            return wrap(base.getParent());
        }

        @Override
        public int getNameCount() {
            return base.getNameCount();
        }

        @Override
        public Path getName(int index) {
            return wrap(base.getName(index));
        }

        @Override
        public Path subpath(int beginIndex, int endIndex) {
            return wrap(base.subpath(beginIndex, endIndex));
        }

        @Override
        public boolean startsWith(Path other) {
            return base.startsWith(unwrap(other));
        }

        @Override
        public boolean endsWith(Path other) {
            return base.endsWith(unwrap(other));
        }

        @Override
        public Path normalize() {
            return wrap(base.normalize());
        }

        @Override
        public Path resolve(Path other) {
            return wrap(base.resolve(unwrap(other)));
        }

        @Override
        public Path relativize(Path other) {
            return wrap(base.relativize(unwrap(other)));
        }

        @Override
        public URI toUri() {
            return base.toUri();
        }

        @Override
        public Path toAbsolutePath() {
            return wrap(base.toAbsolutePath());
        }

        @Override
        public Path toRealPath(LinkOption... options) throws IOException {
            return wrap(base.toRealPath(options));
        }

        @Override
        public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int compareTo(Path other) {
            return base.compareTo(unwrap(other));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof FaultyPath that && base.equals(that.base);
        }

        @Override
        public int hashCode() {
            return base.hashCode();
        }

        @Override
        public String toString() {
            return base.toString();
        }
    }

    private final class Provider extends FileSystemProvider {
        @Override
        public String getScheme() {
            return "faulty";
        }

        @Override
        public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileSystem getFileSystem(URI uri) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path getPath(URI uri) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
                throws IOException {
            if (options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND)) {
                checkWritable(path);
            }
            return new QuotaChannel(baseProvider.newFileChannel(unwrap(path), options, attrs), path);
        }

        @Override
        public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
                throws IOException {
            return newFileChannel(path, options, attrs);
        }

        @Override
        public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
                throws IOException {
            DirectoryStream<Path> entries = baseProvider.newDirectoryStream(unwrap(dir), entry -> filter.accept(wrap(entry)));
            return new DirectoryStream<>() {
                @Override
                public Iterator<Path> iterator() {
                    Iterator<Path> iterator = entries.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return iterator.hasNext();
                        }

                        @Override
                        public Path next() {
                            return wrap(iterator.next());
                        }
                    };
                }

                @Override
                public void close() throws IOException {
                    entries.close();
                }
            };
        }

        @Override
        public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
            checkWritable(dir);
            baseProvider.createDirectory(unwrap(dir), attrs);
        }

        @Override
        public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
            checkWritable(link);
            baseProvider.createSymbolicLink(unwrap(link), unwrap(target), attrs);
        }

        @Override
        public void delete(Path path) throws IOException {
            checkWritable(path);
            baseProvider.delete(unwrap(path));
        }

        @Override
        public void copy(Path source, Path target, CopyOption... options) throws IOException {
            checkWritable(target);
            baseProvider.copy(unwrap(source), unwrap(target), options);
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) throws IOException {
            checkWritable(target);
            baseProvider.move(unwrap(source), unwrap(target), options);
        }

        @Override
        public boolean isSameFile(Path path, Path path2) throws IOException {
            return baseProvider.isSameFile(unwrap(path), unwrap(path2));
        }

        @Override
        public boolean isHidden(Path path) throws IOException {
            return baseProvider.isHidden(unwrap(path));
        }

        @Override
        public FileStore getFileStore(Path path) throws IOException {
            return baseProvider.getFileStore(unwrap(path));
        }

        @Override
        public void checkAccess(Path path, AccessMode... modes) throws IOException {
            if (List.of(modes).contains(AccessMode.WRITE)) {
                checkWritable(path);
            }
            baseProvider.checkAccess(unwrap(path), modes);
        }

        @Override
        public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
            return baseProvider.getFileAttributeView(unwrap(path), type, options);
        }

        @Override
        public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
                throws IOException {
            return baseProvider.readAttributes(unwrap(path), type, options);
        }

        @Override
        public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
            return baseProvider.readAttributes(unwrap(path), attributes, options);
        }

        @Override
        public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
            checkWritable(path);
            baseProvider.setAttribute(unwrap(path), attribute, value, options);
        }
    }

    /** A file channel whose growth spends the quota. */
    private final class QuotaChannel extends FileChannel {
        private final FileChannel base;
        private final Path path;

        QuotaChannel(FileChannel base, Path path) {
            this.base = base;
            this.path = path;
        }

        private void spend(long position, int length) throws IOException {
            long growth = Math.max(0, position + length - base.size());
            if (quota.addAndGet(-growth) < 0) {
                quota.addAndGet(growth);
                throw new IOException("No space left on device");
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return base.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            spend(base.position(), src.remaining());
            return base.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long written = 0;
            for (int i = offset; i < offset + length; i++) {
                written += write(srcs[i]);
            }
            return written;
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            base.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (forceFails) {
                throw new IOException("Input/output error");
            }
            base.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return base.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException("not used by storage");
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            spend(position, src.remaining());
            return base.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return base.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException("not used by storage");
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException("not used by storage");
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }

        @Override
        public String toString() {
            return "QuotaChannel[" + path + "]";
        }
    }
}
