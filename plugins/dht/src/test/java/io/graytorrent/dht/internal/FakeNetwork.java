package io.graytorrent.dht.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * An in-memory UDP network on a fake clock: datagrams arrive after a random latency (10-60 ms),
 * in time order, at whatever listens on their address; to no listener, they are lost.
 */
final class FakeNetwork {
    final FakeClock clock = new FakeClock();
    private final Random random;
    private final Map<InetSocketAddress, BiConsumer<InetSocketAddress, byte[]>> listeners = new HashMap<>();
    private final PriorityQueue<Delivery> queue = new PriorityQueue<>();
    private long sequence;
    long datagrams;

    private record Delivery(long at, long sequence, InetSocketAddress from, InetSocketAddress to, byte[] bytes)
            implements Comparable<Delivery> {
        @Override
        public int compareTo(Delivery other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    FakeNetwork(long seed) {
        this.random = new Random(seed);
    }

    void listen(InetSocketAddress address, BiConsumer<InetSocketAddress, byte[]> receiver) {
        listeners.put(address, receiver);
    }

    void leave(InetSocketAddress address) {
        listeners.remove(address);
    }

    DatagramTransport transportFor(InetSocketAddress self) {
        return (to, bytes) -> send(self, to, bytes, Duration.ZERO);
    }

    void send(InetSocketAddress from, InetSocketAddress to, byte[] bytes, Duration extraDelay) {
        datagrams++;
        long latency = Duration.ofMillis(10 + random.nextInt(50)).plus(extraDelay).toNanos();
        queue.add(new Delivery(clock.getAsLong() + latency, sequence++, from, to, bytes));
    }

    /** Delivers everything due within {@code duration}, calling {@code tick} every {@code tickEvery}. */
    void run(Duration duration, Duration tickEvery, Runnable tick) {
        long end = clock.getAsLong() + duration.toNanos();
        long nextTick = clock.getAsLong() + tickEvery.toNanos();
        while (true) {
            Delivery next = queue.peek();
            long nextEvent = Math.min(nextTick, next == null ? Long.MAX_VALUE : next.at);
            if (nextEvent > end) {
                clock.advanceTo(end);
                return;
            }
            clock.advanceTo(nextEvent);
            if (next != null && next.at == nextEvent) {
                queue.poll();
                BiConsumer<InetSocketAddress, byte[]> listener = listeners.get(next.to);
                if (listener != null) {
                    listener.accept(next.from, next.bytes);
                }
            } else {
                nextTick += tickEvery.toNanos();
                tick.run();
            }
        }
    }
}
