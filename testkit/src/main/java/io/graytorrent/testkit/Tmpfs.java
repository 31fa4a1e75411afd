package io.graytorrent.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for a test (needs root and mount permission): a second file system, and real
 * ENOSPC and EROFS. Unmounted (lazily) by {@link #close()}.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path directory;

    private Tmpfs(Path directory) {
        this.directory = directory;
    }

    /** Mounts a tmpfs of {@code size} (e.g. "1m") on {@code directory}; empty when not permitted here. */
    public static java.util.Optional<Tmpfs> mount(Path directory, String size, boolean readOnly) {
        String options = "size=" + size + (readOnly ? ",ro" : "");
        return run("mount", "-t", "tmpfs", "-o", options, "tmpfs", directory.toString())
                ? java.util.Optional.of(new Tmpfs(directory)) : java.util.Optional.empty();
    }

    /** Changes mount options in place, e.g. "size=4m" or "rw". */
    public void remount(String options) {
        if (!run("mount", "-o", "remount," + options, directory.toString())) {
            throw new IllegalStateException("could not remount " + directory + " with " + options);
        }
    }

    @Override
    public void close() {
        run("umount", "-l", directory.toString());
    }

    private static boolean run(String... command) {
        List<String> line = new ArrayList<>(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    return false;
                }
                return process.exitValue() == 0;
            } finally {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
