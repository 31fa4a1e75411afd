package io.graytorrent.utp.internal.protocol;

import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;

/** A virtual clock (microseconds) and the events scheduled on it, run in time order. */
final class Simulation {
    private record Event(long time, long order, Runnable action) {
    }

    final Random random;
    private final PriorityQueue<Event> events = new PriorityQueue<>(
            (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.order, b.order));
    private long now;
    private long scheduled;

    Simulation(long seed) {
        random = new Random(seed);
    }

    long now() {
        return now;
    }

    void at(long time, Runnable action) {
        events.add(new Event(Math.max(time, now), scheduled++, action));
    }

    /** Runs {@code action} every {@code period} from now on. */
    void every(long period, Runnable action) {
        at(now + period, () -> {
            action.run();
            every(period, action);
        });
    }

    /** Runs events until {@code done} holds or the clock passes {@code limit}; returns whether done. */
    boolean runUntil(BooleanSupplier done, long limit) {
        while (!done.getAsBoolean()) {
            Event next = events.peek();
            if (next == null || next.time > limit) {
                now = limit;
                return done.getAsBoolean();
            }
            events.poll();
            now = next.time;
            next.action.run();
        }
        return true;
    }

    /** Runs every event up to {@code time}. */
    void runFor(long duration) {
        long end = now + duration;
        runUntil(() -> false, end);
    }
}
