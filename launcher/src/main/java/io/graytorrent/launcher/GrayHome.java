package io.graytorrent.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The per-user state directory ({@code --home}, else {@code GRAY_HOME}, else
 * {@code ~/.graytorrent}) and the files in it that the server and the client share. The directory
 * and the secrets in it are readable by their owner only.
 */
record GrayHome(Path root) {
    static final String ENVIRONMENT = "GRAY_HOME";

    static GrayHome resolve(String option) {
        String chosen = option != null ? option : System.getenv(ENVIRONMENT);
        Path root = chosen != null && !chosen.isBlank()
                ? Path.of(chosen)
                : Path.of(System.getProperty("user.home"), ".graytorrent");
        return new GrayHome(root.toAbsolutePath().normalize());
    }

    Path token() {
        return root.resolve("control.token");
    }

    Path controlPort() {
        return root.resolve("control.port");
    }

    /** {@code http} or {@code https}: how the client speaks to the server's control port. */
    Path controlScheme() {
        return root.resolve("control.scheme");
    }

    /** With https only: the certificate (PEM) the server presents, the one the client trusts. */
    Path controlCertificate() {
        return root.resolve("control.pem");
    }

    Path pid() {
        return root.resolve("server.pid");
    }

    /** Held (file lock) by the running server for its whole life: the truth about "running". */
    Path lock() {
        return root.resolve("server.lock");
    }

    Path logs() {
        return root.resolve("logs");
    }

    Path frameworkCache() {
        return root.resolve("cache").resolve("felix");
    }

    void create() throws IOException {
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        }
        Files.createDirectories(logs());
    }

    /** Writes {@code content} to {@code file} atomically, readable by the owner only. */
    static void writePrivate(Path file, String content) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, content, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
