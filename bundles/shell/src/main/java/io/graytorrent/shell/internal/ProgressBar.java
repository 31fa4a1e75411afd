package io.graytorrent.shell.internal;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar redrawn with carriage returns, at most ten times a second, for clients on
 * a terminal; elsewhere it draws nothing. Thread-safe.
 */
final class ProgressBar {
    /** Session variable the control endpoint sets: whether the client's output is a terminal. */
    static final String TTY_VARIABLE = "gray.tty";
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream stream;
    private final String label;
    private final boolean enabled;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;

    static boolean onTerminal(org.apache.felix.service.command.CommandSession session) {
        return Boolean.TRUE.equals(session.get(TTY_VARIABLE));
    }

    ProgressBar(PrintStream stream, String label, boolean enabled) {
        this.stream = stream;
        this.label = label;
        this.enabled = enabled;
    }

    synchronized void update(long done, long total) {
        long now = System.nanoTime();
        if (!enabled || (now - lastDrawNanos < REDRAW_NANOS && done < total)) {
            return;
        }
        lastDrawNanos = now;
        double fraction = total == 0 ? 1 : (double) done / total;
        int filled = (int) (fraction * WIDTH);
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        stream.print(String.format(Locale.ROOT, "\r%s [%s%s] %3d%% %s/s ", label, "#".repeat(filled),
                " ".repeat(WIDTH - filled), (int) (fraction * 100), Sizes.format((long) (done / seconds))));
        if (done >= total) {
            stream.print("\n");
        }
        stream.flush();
    }
}
