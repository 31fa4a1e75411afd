package io.graytorrent.distribution;

import io.graytorrent.testkit.LeftoverProcesses;
import io.graytorrent.testkit.NetworkNamespace;
import io.graytorrent.api.RuntimeProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Runs the assembled distribution's {@code bin/gray} as a user would, with its own GRAY_HOME. A test that holds one in
 * a field and is extended with {@link LeftoverProcesses} has a server it left running killed after it.
 */
final class GrayCommand implements LeftoverProcesses.PidFileOwner {
    private static final long TIMEOUT_SECONDS = 90;
    private static final Path ENV = Path.of("/usr/bin/env");

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path distribution;
    private final Path home;
    private final Path workingDirectory;
    /** Wraps the command line, e.g. to run it in a network namespace; identity by default. */
    private final UnaryOperator<List<String>> wrapper;
    /** More JVM options for GRAY_JAVA_OPTS, e.g. a trust store; "" by default. */
    private final String javaOptions;

    GrayCommand(Path home, Path workingDirectory) {
        this(distribution(), home, workingDirectory, UnaryOperator.identity(), "");
    }

    private GrayCommand(Path distribution, Path home, Path workingDirectory, UnaryOperator<List<String>> wrapper,
            String javaOptions) {
        this.distribution = distribution;
        this.home = home;
        this.workingDirectory = workingDirectory;
        this.wrapper = wrapper;
        this.javaOptions = javaOptions;
    }

    /** The same command run inside {@code namespace}. */
    GrayCommand inside(NetworkNamespace namespace) {
        return new GrayCommand(distribution, home, workingDirectory, namespace::command, javaOptions);
    }

    /** The same command with more JVM options (space-separated, as GRAY_JAVA_OPTS takes them). */
    GrayCommand withJavaOptions(String options) {
        return new GrayCommand(distribution, home, workingDirectory, wrapper, (javaOptions + " " + options).strip());
    }

    /** Fails with the command's output, so a failure in CI says why. */
    static Result assertSucceeds(Result result) {
        if (result.exit() != 0) {
            throw new AssertionError("expected exit 0, got " + result);
        }
        return result;
    }

    static Path distribution() {
        Path dist = Path.of(System.getProperty("gray.dist", "target/graytorrent"));
        if (!Files.isExecutable(dist.resolve("bin/gray"))) {
            throw new IllegalStateException("no assembled distribution at " + dist + ": run mvn verify");
        }
        return dist;
    }

    /** The assembled distribution copied to {@code copy}, so that a test's plugins/ configuration stays its own. */
    private static Path copyOfDistribution(Path copy) throws IOException {
        Path source = distribution();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, copy.resolve(source.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return copy;
    }

    /**
     * A command of its own copy of the distribution ({@code work}/dist), so that its plugins/ configuration is the
     * test's; its home is {@code work}/home and it runs in {@code work}.
     */
    static GrayCommand ownCopy(Path work) throws IOException {
        return new GrayCommand(copyOfDistribution(work.resolve("dist")), work.resolve("home"), work,
                UnaryOperator.identity(), "");
    }

    /** {@link #ownCopy} whose plugins/ holds {@code cfg} (a file name such as {@code io.graytorrent.core.cfg}) with {@code text}. */
    static GrayCommand configured(Path work, String cfg, String text) throws IOException {
        GrayCommand gray = ownCopy(work);
        Files.writeString(gray.configuration(cfg), text);
        return gray;
    }

    /** The same distribution with another home, run in {@code workingDirectory}. */
    GrayCommand withHome(Path otherHome, Path workingDirectory) {
        return new GrayCommand(distribution, otherHome, workingDirectory, wrapper, javaOptions);
    }

    /** The file {@code cfg} of this distribution's plugins/, for a test to edit or delete while the server runs. */
    Path configuration(String cfg) {
        return distribution.resolve("plugins").resolve(cfg);
    }

    Result run(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("gray-out", ".txt");
        Path err = Files.createTempFile("gray-err", ".txt");
        Process process = start(out, err, args);
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("gray " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Starts gray without waiting for it; the caller ends the process. */
    Process start(Path out, Path err, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(ENV)) {
            // a build started in the background ignores SIGINT, and so would gray (the JVM keeps an
            // ignored SIGINT ignored): restored, Ctrl-C's signal reaches it as from a terminal
            command.addAll(List.of(ENV.toString(), "--default-signal=INT"));
        }
        command.add(distribution.resolve("bin/gray").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(wrapper.apply(command))
                .directory(workingDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("GRAY_HOME", home.toString());
        // tests stay on this machine: the DHT joins no public router, only nodes a test names (--dht-node),
        // and the port mapping sends no SSDP or NAT-PMP to the host's gateway; Netty's leak detector, which
        // bin/gray turns off, is on as in Netty's default
        builder.environment().put("GRAY_JAVA_OPTS", ("-D" + RuntimeProperties.DHT_NODES_PROPERTY + "= -D"
                + RuntimeProperties.PORT_MAPPING_PROPERTY + "=off -Dio.netty.leakDetection.level=simple "
                + javaOptions).strip());
        return builder.start();
    }

    /** Where a server started in this home writes its pid. */
    @Override
    public Path pidFile() {
        return home.resolve("server.pid");
    }
}
