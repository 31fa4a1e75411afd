package io.graytorrent.distribution;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemPackage;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.graytorrent.api.RuntimeProperties;
import io.graytorrent.control.ControlEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;

/**
 * The container every in-container test boots: the assembled distribution's own bundle set, with
 * the framework properties the launcher sets, so the tests see what a user's server runs. The
 * jars come from {@code target/graytorrent/bundle/}, not from Maven: the reactor's bundles are
 * assembled there and nowhere pax-exam's resolver can see them.
 */
final class DistributionOptions {
    /** The bundle directories the launcher starts for a headless server, in start order. */
    static final List<String> SERVER_GROUPS = List.of("boot", "core");

    private DistributionOptions() {
    }

    static Option[] server() {
        return options(
                // without this Felix lends bundles classes from the test's class path (logback among them)
                frameworkProperty("felix.bootdelegation.implicit").value("false"),
                // as the launcher: Netty's epoll library needs sun.nio.ch when it loads
                // (added to pax-exam's own extra system packages: setting the property would replace them)
                systemPackage("sun.nio.ch"),
                frameworkProperty(ControlEndpoint.TOKEN_PROPERTY).value(newToken()),
                frameworkProperty("felix.fileinstall.dir").value(emptyPluginsDirectory().toString()),
                // a DHT dropped in joins no public router: tests stay on this machine
                frameworkProperty(RuntimeProperties.DHT_NODES_PROPERTY).value(""),
                systemProperty("logback.configurationFile").value(Path.of("target/test-classes/logback-test.xml")
                        .toAbsolutePath().toString()),
                // start levels as the launcher sets them: logging first, before any bundle calls LoggerFactory
                provision("boot", 1),
                provision("core", 2),
                junitBundles(),
                cleanCaches(true));
    }

    /** The jars of {@code bundle/GROUP} in the assembled distribution, in name order. */
    static List<Path> bundles(String group) {
        Path directory = distribution().resolve("bundle").resolve(group);
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> jars = files.filter(file -> file.toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new IllegalStateException("no bundles in " + directory);
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory + ": run mvn verify", e);
        }
    }

    /** A plugin jar of the assembled distribution's {@code plugins/}, by artifact id. */
    static Path plugin(String artifactId) {
        return distribution().resolve("plugins").resolve(artifactId + ".jar");
    }

    private static Path distribution() {
        return Path.of(System.getProperty("gray.dist", "target/graytorrent")).toAbsolutePath();
    }

    private static Option provision(String group, int startLevel) {
        return composite(bundles(group).stream()
                .map(jar -> bundle(jar.toUri().toString()).startLevel(startLevel).start(!isFragment(jar)))
                .toArray(Option[]::new));
    }

    /** A fragment (Netty's native epoll library) is installed, never started, as the launcher does. */
    private static boolean isFragment(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    /** File Install watches a directory of its own, not one in the working directory. */
    private static Path emptyPluginsDirectory() {
        try {
            return Files.createDirectories(distribution().resolveSibling("it-plugins"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
