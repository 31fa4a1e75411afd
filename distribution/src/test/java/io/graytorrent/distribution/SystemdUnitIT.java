package io.graytorrent.distribution;

import static io.graytorrent.distribution.GrayCommand.assertSucceeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.LeftoverProcesses;
import io.graytorrent.testkit.Slow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's systemd unit ({@code systemd/graytorrent@.service}): systemd's own checker
 * finds nothing to say about it once installed as the README says (the path put in), its hardening
 * leaves GRAY_HOME writable, and the command it starts is a server that stays in the foreground
 * and ends on systemd's SIGTERM with an exit status the unit counts as success.
 */
@Slow
@ExtendWith(LeftoverProcesses.class)
class SystemdUnitIT {
    private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");
    private static final String INSTALLED_AT = "/opt/graytorrent";

    @TempDir
    Path work;
    private GrayCommand gray;

    private static String unitText() throws IOException {
        return Files.readString(GrayCommand.distribution().resolve("systemd/graytorrent@.service"));
    }

    /** Service-section keys in order of appearance; a key given twice keeps every value. */
    private static Map<String, List<String>> service(String unit) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String section = "";
        for (String line : unit.lines().map(String::strip).toList()) {
            if (line.startsWith("[")) {
                section = line;
            } else if (section.equals("[Service]") && !line.isEmpty() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                keys.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        return keys;
    }

    @Test
    void theUnitStartsTheServerInTheForegroundWithTheUsersHomeWritable() throws IOException {
        Map<String, List<String>> service = service(unitText());
        assertEquals(List.of("simple"), service.get("Type"));
        assertEquals(List.of("%i"), service.get("User"));
        assertEquals(List.of(INSTALLED_AT + "/bin/gray server start --foreground"), service.get("ExecStart"));
        assertEquals(List.of("GRAY_HOME=/home/%i/.graytorrent"), service.get("Environment"));
        assertEquals(List.of("strict"), service.get("ProtectSystem"), "nothing outside ReadWritePaths is writable");
        assertEquals(List.of("/home/%i/.graytorrent"), service.get("ReadWritePaths"), "GRAY_HOME (and its downloads/) is");
        assertEquals(List.of("yes"), service.get("NoNewPrivileges"));
        assertFalse(service.containsKey("MemoryDenyWriteExecute"), "the JIT writes code: MemoryDenyWriteExecute would stop the JVM");
        assertTrue(service.get("SuccessExitStatus").get(0).contains("143"), "a JVM ended by SIGTERM exits 143");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void systemdAnalyzeVerifyFindsNothingAndWouldCatchAMistake() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(SYSTEMD_ANALYZE),
                "skipped: no " + SYSTEMD_ANALYZE + " (Debian package systemd; .ci/run installs it)");
        String installed = unitText().replace(INSTALLED_AT, GrayCommand.distribution().toAbsolutePath().toString());
        Path unit = Files.writeString(work.resolve("graytorrent@.service"), installed);
        String user = System.getProperty("user.name");
        List<String> verdict = verify(work.resolve("graytorrent@" + user + ".service"));
        assertEquals(List.of("0", ""), verdict, "systemd-analyze verify: exit status and what it printed");

        Files.writeString(unit, installed.replace("ProtectSystem=strict", "ProtectSystem=stricter"));
        List<String> caught = verify(work.resolve("graytorrent@" + user + ".service"));
        assertTrue(caught.get(1).contains("Failed to parse protect system value"), "the check is a real one: " + caught);
    }

    /** Exit status and stderr of systemd-analyze verify. */
    private static List<String> verify(Path unit) throws Exception {
        Process process = new ProcessBuilder(SYSTEMD_ANALYZE.toString(), "verify", unit.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return List.of(Integer.toString(process.exitValue()), err.strip());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void itsCommandRunsTheServerUntilSigtermAndExitsWithAStatusTheUnitAccepts() throws Exception {
        Map<String, List<String>> service = service(unitText());
        List<String> command = Arrays.asList(service.get("ExecStart").get(0).split(" "));
        assertEquals(INSTALLED_AT + "/bin/gray", command.get(0));
        Path home = work.resolve("home");
        gray = new GrayCommand(home, work);
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        // as systemd runs it: the unit's arguments, GRAY_HOME from the unit (here a temporary home)
        Process server = gray.start(out, err, command.subList(1, command.size()).toArray(String[]::new));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            GrayCommand.Result status = gray.run("server", "status");
            while (status.exit() != 0 && System.nanoTime() < deadline) {
                assertTrue(server.isAlive(), "the server stays in the foreground: " + Files.readString(err));
                Thread.sleep(200);
                status = gray.run("server", "status");
            }
            assertSucceeds(status);
            assertTrue(server.isAlive(), "still the process systemd started");
            assertSucceeds(gray.run("ls"));
            server.destroy(); // SIGTERM, as systemctl stop sends
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "stopped within TimeoutStopSec");
            List<String> success = new ArrayList<>(List.of("0"));
            success.addAll(Arrays.asList(service.get("SuccessExitStatus").get(0).split(" ")));
            assertTrue(success.contains(Integer.toString(server.exitValue())),
                    "exit " + server.exitValue() + " counts as success for the unit (" + success + ")");
            assertFalse(gray.run("server", "status").exit() == 0, "the server is gone");
        } finally {
            server.destroyForcibly();
        }
    }
}
