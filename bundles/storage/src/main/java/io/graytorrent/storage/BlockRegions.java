package io.graytorrent.storage;

import java.nio.channels.FileChannel;
import java.util.List;

/**
 * The file regions that hold one block, in order, for zero-copy uploads. The channels stay open
 * until {@link #close()}; close it once the transfer is done, from any thread. Never close the
 * channels themselves: they belong to the shared pool of open files. (Netty's
 * {@code DefaultFileRegion} closes its channel when released, so wrap a region in a
 * {@code FileRegion} that transfers with {@code channel.transferTo} and calls {@link #close()} instead.)
 */
@org.osgi.annotation.versioning.ProviderType
public interface BlockRegions extends AutoCloseable {

    /**
     * One contiguous run of a block's bytes.
     *
     * @param channel  the open file, or {@code null} for BEP 47 padding: {@code length} zero bytes
     * @param position where the run starts in that file
     * @param length   how many bytes
     */
    record Region(FileChannel channel, long position, int length) {
        public boolean isZeros() {
            return channel == null;
        }
    }

    List<Region> regions();

    /** Releases the file handles; idempotent. */
    @Override
    void close();
}
