package io.graytorrent.pex.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Slow;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * BEP 55 end to end between three real peer wires on loopback ({@link HolepunchNode}s): the target,
 * once connected to the relay, accepts connections only from the initiator's listen address, which
 * only its uTP sends from (its TCP dials leave from other ports), so it refuses the initiator's TCP;
 * the initiator learns of the target from the relay's PEX message, its TCP dial fails, it asks the
 * relay, and both sides' uTP dials connect them.
 */
@Slow
@Timeout(60)
class HolepunchLoopbackTest {
    private static final InfoHash TORRENT = InfoHash.parse("5a".repeat(20));
    private static final Duration LIMIT = Duration.ofSeconds(20);

    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private HolepunchNode node(String ip) throws Exception {
        HolepunchNode node = new HolepunchNode(ip, TORRENT, 4, List.of("tcp"));
        toClose.addFirst(node);
        return node;
    }

    @Test
    void theInitiatorReachesATargetThatRefusesItsTcpThroughTheRelaysRendezvous() throws Exception {
        HolepunchNode relay = node("127.0.7.1");
        HolepunchNode initiator = node("127.0.7.2");
        HolepunchNode target = node("127.0.7.3");
        relay.dial(initiator).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        relay.dial(target).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        // from now on the target accepts only what comes from the initiator's UDP socket: its uTP
        target.admits = initiator.listen::equals;
        Await.until("the extension handshakes between the relay and both", LIMIT, () -> relay.extended.size() == 2
                && initiator.extended.size() == 1 && target.extended.size() == 1);
        relay.exchange.tick();
        Await.until("the initiator learnt of the target from the relay's PEX", LIMIT,
                () -> initiator.found.contains(target.listen));

        long started = System.nanoTime();
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> initiator.dial(target).get(LIMIT.toSeconds(), TimeUnit.SECONDS));
        System.out.println("the initiator's TCP dial failed: " + refused.getCause().getMessage());
        Await.until("the initiator and the target connected over uTP", LIMIT,
                () -> initiator.connectedOverUtpTo(target) && target.connectedOverUtpTo(initiator));
        assertEquals(List.of(target.listen), initiator.toldToDial, "the relay's connect named the target");
        assertEquals(List.of(initiator.listen), target.toldToDial, "the relay's connect named the initiator");
        System.out.printf("holepunched over uTP %.0f ms after the TCP dial started%n", (System.nanoTime() - started) / 1e6);
    }
}
