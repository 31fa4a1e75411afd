package io.graytorrent.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs libtorrent_fixture.py (beside this class) with Debian's python3 and its libtorrent module.
 * A missing interpreter or module fails the test with the install command: interop is never skipped.
 */
public final class Libtorrent {
    static final String PYTHON = "/usr/bin/python3";
    static final String INSTALL = "interop tests need Debian's python3 with python3-libtorrent "
            + "(apt-get install python3-libtorrent)";
    private static Path script;

    private Libtorrent() {
    }

    /** {@code python3 libtorrent_fixture.py ARGS...}; fails the test at once without python3. */
    static List<String> command(String... args) {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            throw new AssertionError(PYTHON + " is missing: " + INSTALL);
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, script().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Runs a one-shot command (create, describe, verify, autopiece) and returns what it printed
     * (JSON); fails if it errs or takes longer than {@code limit}.
     */
    public static String run(Duration limit, String... args) throws IOException, InterruptedException {
        List<String> command = command(args);
        Path stdout = Files.createTempFile("libtorrent-fixture", ".out");
        Path stderr = Files.createTempFile("libtorrent-fixture", ".err");
        // output goes to files, so a hung script cannot block us past the limit
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the libtorrent fixture did not finish in " + limit + ": " + command);
            }
            String output = Files.readString(stdout);
            if (process.exitValue() != 0) {
                throw new AssertionError("the libtorrent fixture failed (exit " + process.exitValue() + ") for "
                        + command + ": " + output + Files.readString(stderr)
                        + (process.exitValue() == 3 ? "\n" + INSTALL : ""));
            }
            return output;
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** The script as a file: copied once per JVM out of the test kit's jar. */
    private static synchronized Path script() {
        if (script == null) {
            try (InputStream in = Libtorrent.class.getResourceAsStream("libtorrent_fixture.py")) {
                Path file = Files.createTempFile("libtorrent_fixture", ".py");
                file.toFile().deleteOnExit();
                Files.write(file, in.readAllBytes());
                script = file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the libtorrent fixture out of the test kit", e);
            }
        }
        return script;
    }
}
