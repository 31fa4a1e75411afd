package io.graytorrent.tracker.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.api.util.NetworkRoute;
import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link HttpTrackerClientTest} again from a bound source address, 127.0.0.4, which
 * only the Netty client ({@link NettyHttpGet}) can bind: redirects, limits, timeouts and errors alike.
 */
@Unit
class HttpTrackerClientBoundTest extends HttpTrackerClientTest {
    @Override
    HttpTrackerClient client(Duration timeout) {
        return new HttpTrackerClient(timeout, 4096, 2, NetworkRoute.of("127.0.0.4", "", "", "", "", false));
    }

    @Test
    void requestsLeaveFromTheBoundAddress() throws Exception {
        await(client(Duration.ofSeconds(5)).announce(request("/announce")));
        assertEquals(InetAddress.getByName("127.0.0.4"), sources.get(0).getAddress());
    }
}
