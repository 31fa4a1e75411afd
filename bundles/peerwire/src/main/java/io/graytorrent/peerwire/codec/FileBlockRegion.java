package io.graytorrent.peerwire.codec;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A block of a file the storage keeps open. Unlike Netty's DefaultFileRegion, releasing it does
 * not close the file, which other uploads and the disk writer share.
 */
final class FileBlockRegion extends AbstractReferenceCounted implements FileRegion {
    private final FileChannel file;
    private final long start;
    private final long count;
    private long transferred;

    FileBlockRegion(FileChannel file, long start, long count) {
        this.file = file;
        this.start = start;
        this.count = count;
    }

    @Override
    public long position() {
        return start;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Deprecated
    @Override
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferTo(WritableByteChannel target, long position) throws IOException {
        long written = file.transferTo(start + position, count - position, target);
        if (written == 0 && file.size() < start + count) {
            // a file cut short under us would otherwise make the event loop spin
            throw new IOException("file shrank below the block at " + start + " (+" + count + ")");
        }
        transferred += written;
        return written;
    }

    @Override
    protected void deallocate() {
        // the file belongs to the storage
    }

    @Override
    public FileBlockRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public FileBlockRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FileBlockRegion touch() {
        return this;
    }

    @Override
    public FileBlockRegion touch(Object hint) {
        return this;
    }
}
