package io.graytorrent.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The installed distribution the launcher runs from ({@code -Dgray.dist}, set by {@code bin/gray}):
 * {@code bundle/boot} (logging, started first), {@code bundle/core}, {@code bundle/console}
 * (the interactive shell), {@code plugins/} (watched by File Install) and {@code conf/}.
 */
record Distribution(Path root) {

    static Distribution fromSystemProperty() {
        String dist = System.getProperty("gray.dist");
        if (dist == null) {
            throw new IllegalStateException("gray.dist is not set: run graytorrent through bin/gray");
        }
        return new Distribution(Path.of(dist).toAbsolutePath().normalize());
    }

    List<Path> bundles(String group) throws IOException {
        try (Stream<Path> jars = Files.list(root.resolve("bundle").resolve(group))) {
            return jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    Path plugins() {
        return root.resolve("plugins");
    }

    Path logbackConfig() {
        return root.resolve("conf").resolve("logback.xml");
    }

    String version() {
        String version = Distribution.class.getPackage().getImplementationVersion();
        return version != null ? version : "development";
    }
}
