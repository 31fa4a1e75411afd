package io.graytorrent.control.internal.command;

import java.nio.file.Path;
import java.util.List;

/**
 * A validated command request: {@code args} starts with the command name (without scope),
 * {@code cwd} is the absolute directory relative paths are resolved against.
 */
record CommandRequest(List<String> args, String cwd, boolean tty) {
    static final int MAX_ARGS = 1024;

    CommandRequest {
        if (args == null || args.isEmpty()) {
            throw new IllegalArgumentException("args must name a command");
        }
        if (args.size() > MAX_ARGS) {
            throw new IllegalArgumentException("more than " + MAX_ARGS + " arguments");
        }
        if (args.stream().anyMatch(a -> a == null)) {
            throw new IllegalArgumentException("arguments must be strings");
        }
        if (cwd == null || !Path.of(cwd).isAbsolute()) {
            throw new IllegalArgumentException("cwd must be an absolute path");
        }
        args = List.copyOf(args);
    }
}
