package io.graytorrent.storage;

import io.graytorrent.testkit.Tmpfs;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A 1 MiB disk for fault tests, in two kinds: a real tmpfs (where the test may mount one) and the
 * default file system behind {@link FaultyFileSystem} (everywhere). Tests run with both.
 */
interface SmallDisk extends AutoCloseable {

    /** The directory to save torrents in. */
    Path root();

    /** Gives the disk 4 MiB, as a user freeing space would. */
    void enlarge();

    /** Makes a read-only disk writable. */
    void makeWritable();

    /** Makes the disk read-only (no file may be open for writing). */
    void makeReadOnly();

    @Override
    void close();

    enum Kind {
        TMPFS, FAULT_INJECTING_PROVIDER;

        SmallDisk create(Path directory, boolean readOnly) {
            return this == TMPFS ? tmpfs(directory, readOnly) : faulty(directory, readOnly);
        }
    }

    private static SmallDisk tmpfs(Path directory, boolean readOnly) {
        Optional<Tmpfs> mounted = Tmpfs.mount(directory, "1m", readOnly);
        Assumptions.assumeTrue(mounted.isPresent(),
                "mounting a tmpfs is not permitted here; the FAULT_INJECTING_PROVIDER run covers the same test");
        Tmpfs tmpfs = mounted.get();
        return new SmallDisk() {
            @Override
            public Path root() {
                return directory;
            }

            @Override
            public void enlarge() {
                tmpfs.remount("size=4m");
            }

            @Override
            public void makeWritable() {
                tmpfs.remount("rw");
            }

            @Override
            public void makeReadOnly() {
                tmpfs.remount("ro");
            }

            @Override
            public void close() {
                tmpfs.close();
            }
        };
    }

    private static SmallDisk faulty(Path directory, boolean readOnly) {
        FaultyFileSystem fileSystem = new FaultyFileSystem(1 << 20, readOnly);
        return new SmallDisk() {
            @Override
            public Path root() {
                return fileSystem.wrap(directory);
            }

            @Override
            public void enlarge() {
                fileSystem.grow(3 << 20);
            }

            @Override
            public void makeWritable() {
                fileSystem.setReadOnly(false);
            }

            @Override
            public void makeReadOnly() {
                fileSystem.setReadOnly(true);
            }

            @Override
            public void close() {
            }
        };
    }
}
