package io.graytorrent.shell.internal;

import java.nio.file.Path;
import org.apache.felix.service.command.CommandSession;

/** Paths typed by a user mean what they mean in the user's shell: relative to the client's directory. */
final class Paths {
    private Paths() {
    }

    static Path resolve(CommandSession session, String path) {
        Path base = session.currentDir();
        return (base != null ? base.resolve(path) : Path.of(path)).toAbsolutePath().normalize();
    }
}
