package io.graytorrent.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Felix storage of the one-shot runtimes ({@code get}, {@code info}, {@code create}), kept in
 * GRAY_HOME between runs. A fresh storage means installing every bundle (copying ~40 jars and
 * parsing their manifests) and deleting it all at exit: ~0.25 s and ~0.2 CPU-s of every command.
 * The kept one is reused only if the last runtime on it stopped cleanly with the very same jars,
 * plugins and configuration files (their paths, sizes and times: the fingerprint); anything else
 * (an upgrade, a changed plugins/ file, a killed run) starts from a clean storage. A second one-shot
 * command in the same home while the first runs does not get the lock and uses a temporary storage.
 */
final class OneShotStorage implements AutoCloseable {
    private final Path directory;
    private final boolean reusable;
    private final String fingerprint;
    private final Path fingerprintFile;
    /** Null for a temporary storage. */
    private final FileChannel lockChannel;

    private OneShotStorage(Path directory, boolean reusable, String fingerprint, Path fingerprintFile,
            FileChannel lockChannel) {
        this.directory = directory;
        this.reusable = reusable;
        this.fingerprint = fingerprint;
        this.fingerprintFile = fingerprintFile;
        this.lockChannel = lockChannel;
    }

    /** Takes the home's one-shot storage, or a temporary one if another command holds it. */
    static OneShotStorage open(Distribution dist, GrayHome home) throws IOException {
        Path root = home.root().resolve("cache");
        Files.createDirectories(root);
        FileChannel channel = FileChannel.open(root.resolve("felix-oneshot.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held in this JVM
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            return new OneShotStorage(Files.createTempDirectory("graytorrent-felix-"), false, "", null, null);
        }
        try {
            Path directory = root.resolve("felix-oneshot");
            Path fingerprintFile = root.resolve("felix-oneshot.fingerprint");
            String fingerprint = fingerprint(dist);
            boolean reusable = Files.isDirectory(directory) && Files.isRegularFile(fingerprintFile)
                    && Files.readString(fingerprintFile).equals(fingerprint);
            // until this run stops cleanly the storage is not known to be sound
            Files.deleteIfExists(fingerprintFile);
            return new OneShotStorage(directory, reusable, fingerprint, fingerprintFile, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** What the storage depends on: every jar and plugins/ file, by path, size and modification time. */
    private static String fingerprint(Distribution dist) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path directory : List.of(dist.root().resolve("lib"), dist.root().resolve("bundle"), dist.plugins())) {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> walk = Files.walk(directory)) {
                    walk.filter(Files::isRegularFile).forEach(files::add);
                }
            }
        }
        StringBuilder text = new StringBuilder();
        for (Path file : files.stream().sorted().toList()) {
            text.append(file).append('\t').append(Files.size(file)).append('\t')
                    .append(Files.getLastModifiedTime(file).toMillis()).append('\n');
        }
        return text.toString();
    }

    Path directory() {
        return directory;
    }

    /** Whether the runtime may start on the storage as it is (else Felix cleans it first). */
    boolean reusable() {
        return reusable;
    }

    /** The runtime on it has stopped cleanly: the next command may reuse it. */
    void stoppedCleanly() {
        if (lockChannel != null) {
            try {
                GrayHome.writePrivate(fingerprintFile, fingerprint);
            } catch (IOException e) {
                // then the next command starts on a clean storage, as without this file
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (lockChannel != null) {
            lockChannel.close();
            return;
        }
        Gray.deleteRecursively(directory);
    }
}
