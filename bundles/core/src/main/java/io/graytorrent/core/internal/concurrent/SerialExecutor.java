package io.graytorrent.core.internal.concurrent;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: the one thread that owns a
 * torrent's state at any moment. A failing task is logged and does not stop the ones after it,
 * except a {@link VirtualMachineError} (out of memory, a broken VM): that is no one task's bug, so it
 * goes on to the pool's thread, and the tasks still queued run from the next submission on.
 */
public final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false); // the engine is shutting down; the tasks are dropped with it
                tasks.clear();
            }
        }
    }

    private void drain() {
        Runnable task;
        int budget = 64; // then yield the pool thread to other torrents
        while (budget-- > 0 && (task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (VirtualMachineError e) {
                scheduled.set(false);
                throw e;
            } catch (RuntimeException | Error e) {
                LOG.error("torrent task failed", e);
            }
        }
        scheduled.set(false);
        schedule();
    }
}
