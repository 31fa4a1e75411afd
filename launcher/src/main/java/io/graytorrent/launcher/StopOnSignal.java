package io.graytorrent.launcher;

import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ends a one-shot command cleanly when the JVM is told to stop (Ctrl-C's SIGINT, SIGTERM, SIGHUP)
 * at any moment, starting included. The JVM runs this shutdown hook and then exits with 128 + the
 * signal's number (130, 143); the hook silences the command's output, stops the runtime (the engine
 * checkpoints its resume data; the control endpoint interrupts the command and hangs up) and says
 * so in one line. The command's thread leaves the cleanup to the hook.
 */
final class StopOnSignal {
    private static final long START_WAIT_SECONDS = 60;

    private final PrintStream err;
    private final String stoppedLine;
    private final Thread hook = new Thread(this::stop, "gray-stop-on-signal");
    /** The runtime once started, or null if it failed to start. */
    private final CompletableFuture<EmbeddedRuntime> runtime = new CompletableFuture<>();
    private volatile Runnable onCleanStop = () -> { };
    private volatile ControlClient client;
    private volatile boolean stopping;

    private StopOnSignal(PrintStream err, String stoppedLine) {
        this.err = err;
        this.stoppedLine = stoppedLine;
    }

    /**
     * Installs the hook, before the runtime starts.
     *
     * @param stoppedLine what to tell the user once the runtime stopped cleanly; empty: nothing
     */
    static StopOnSignal install(PrintStream err, String stoppedLine) {
        StopOnSignal onSignal = new StopOnSignal(err, stoppedLine);
        Runtime.getRuntime().addShutdownHook(onSignal.hook);
        return onSignal;
    }

    /** The runtime has started (null: it failed to); {@code onCleanStop} runs once it stopped cleanly. */
    void started(EmbeddedRuntime started, Runnable cleanStop) {
        onCleanStop = cleanStop;
        runtime.complete(started);
    }

    /** The command runs through {@code running}: a signal silences it. */
    void running(ControlClient running) {
        client = running;
        if (stopping) {
            running.silence();
        }
    }

    /**
     * Called by the command's thread when it is done, whichever way: if a signal came, it waits
     * for the JVM to end (the hook owns the cleanup); else removes the hook.
     */
    void finished() throws InterruptedException {
        runtime.complete(null); // a failed start: the hook has nothing to wait for
        if (!stopping) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                return;
            } catch (IllegalStateException e) {
                // shutting down: the hook runs now
            }
        }
        Thread.sleep(Long.MAX_VALUE); // the JVM halts once the hook has run
    }

    private void stop() {
        stopping = true;
        ControlClient running = client;
        if (running != null) {
            running.silence();
        }
        EmbeddedRuntime started;
        try {
            started = runtime.get(START_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            started = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (started == null) {
            return; // nothing started, nothing to keep
        }
        started.close();
        if (!started.stoppedCleanly()) {
            err.println("stopped, but not cleanly in time: the next run may check some data again");
            return;
        }
        onCleanStop.run();
        if (!stoppedLine.isEmpty()) {
            err.println(stoppedLine);
        }
        err.flush();
    }
}
