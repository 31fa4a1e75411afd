package io.graytorrent.control.internal.command;

/** Where a running command's output goes, as it is written. Implementations are thread-safe. */
interface CommandOutput {
    void out(String text);

    void err(String text);

    /** The command ended; nothing follows. */
    void exit(int code);
}
