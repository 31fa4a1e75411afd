package io.graytorrent.udp.internal;

import io.graytorrent.udp.DatagramStats;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind one kind's {@link DatagramStats}; updated from any thread. */
final class KindCounters {
    final LongAdder received = new LongAdder();
    final LongAdder receiveDropped = new LongAdder();
    final LongAdder sent = new LongAdder();
    final LongAdder sendDropped = new LongAdder();

    DatagramStats snapshot() {
        return new DatagramStats(received.sum(), receiveDropped.sum(), sent.sum(), sendDropped.sum());
    }
}
