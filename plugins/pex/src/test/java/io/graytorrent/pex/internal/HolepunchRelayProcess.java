package io.graytorrent.pex.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.Await;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Our relay as a process of its own, for a test's network namespace: a {@link HolepunchNode} on
 * {@code IP} for torrent {@code INFOHASH} of {@code PIECES} pieces dials the target, then the
 * initiator (each {@code HOST:PORT}), sends PEX once both extension handshakes are in, prints
 * "relaying", and relays until its standard input ends. A failure prints "failed: ..." and exits 1.
 */
final class HolepunchRelayProcess {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    private HolepunchRelayProcess() {
    }

    public static void main(String[] args) {
        int status = 0;
        try (HolepunchNode relay = new HolepunchNode(args[0], InfoHash.parse(args[1]), Integer.parseInt(args[2]),
                List.of("tcp"))) {
            relay.dial(address(args[3])).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            relay.dial(address(args[4])).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            Await.until("both extension handshakes", LIMIT, () -> relay.extended.size() == 2);
            relay.exchange.tick();
            System.out.println("relaying");
            while (System.in.read() >= 0) {
                // until the test is done with us
            }
        } catch (Throwable failure) {
            System.out.println("failed: " + failure);
            status = 1;
        }
        System.exit(status);
    }

    private static InetSocketAddress address(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return new InetSocketAddress(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
    }
}
