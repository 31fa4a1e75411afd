package io.graytorrent.metainfo;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs src/test/resources/libtorrent_fixture.py with Debian's python3 and its libtorrent module.
 * A missing interpreter or module fails the test with the install command: interop is never skipped.
 */
final class Libtorrent {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final long TIMEOUT_SECONDS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Libtorrent() {
    }

    /** Runs one fixture command and returns the JSON it prints. */
    static JsonNode run(String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            fail(PYTHON + " is missing: interop tests need Debian's python3 and python3-libtorrent (apt-get install python3-libtorrent)");
        }
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script().toString()));
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile("libtorrent-fixture", ".out");
        Path stderr = Files.createTempFile("libtorrent-fixture", ".err");
        // output goes to files, so a hung script cannot block us past the timeout
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("libtorrent fixture did not finish in " + TIMEOUT_SECONDS + " s: " + command);
            }
            String errors = Files.readString(stderr);
            if (errors.contains("No module named 'libtorrent'")) {
                fail("python3 has no libtorrent module: interop tests need python3-libtorrent (apt-get install python3-libtorrent)");
            }
            if (process.exitValue() != 0) {
                fail("libtorrent fixture failed (exit " + process.exitValue() + ") for " + command + ":\n" + errors);
            }
            return JSON.readTree(Files.readString(stdout));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private static Path script() {
        try {
            return Path.of(Libtorrent.class.getResource("/libtorrent_fixture.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("test resources are on the file system", e);
        }
    }
}
