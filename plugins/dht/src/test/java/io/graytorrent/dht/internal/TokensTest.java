package io.graytorrent.dht.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

@Unit
class TokensTest {
    private final FakeClock clock = new FakeClock();
    private final Tokens tokens = new Tokens(clock, new Random(7));
    private final NodeId infoHash = NodeId.random(new Random(8));

    @Test
    void aTokenIsGoodForItsAddressAndInfohashOnly() throws Exception {
        InetAddress ip = InetAddress.getByName("198.51.100.1");
        byte[] token = tokens.issue(ip, infoHash);
        assertTrue(tokens.accepts(token, ip, infoHash));
        assertFalse(tokens.accepts(token, InetAddress.getByName("198.51.100.2"), infoHash));
        assertFalse(tokens.accepts(token, ip, NodeId.random(new Random(9))));
        assertFalse(tokens.accepts(new byte[0], ip, infoHash));
    }

    @Test
    void theSecretRotatesEveryFiveMinutesAndThePreviousOneStillCounts() throws Exception {
        InetAddress ip = InetAddress.getByName("2001:db8::7");
        byte[] token = tokens.issue(ip, infoHash);
        clock.advance(Duration.ofMinutes(4).plusSeconds(59));
        assertTrue(tokens.accepts(token, ip, infoHash), "same secret");
        clock.advance(Duration.ofSeconds(2));
        assertTrue(tokens.accepts(token, ip, infoHash), "previous secret");
        assertFalse(java.util.Arrays.equals(token, tokens.issue(ip, infoHash)), "new tokens from the new secret");
        clock.advance(Duration.ofMinutes(5));
        assertFalse(tokens.accepts(token, ip, infoHash), "two rotations later");
    }

    @Test
    void aLongSilenceForgetsBothSecrets() throws Exception {
        InetAddress ip = InetAddress.getByName("198.51.100.1");
        byte[] token = tokens.issue(ip, infoHash);
        clock.advance(Duration.ofMinutes(10));
        assertFalse(tokens.accepts(token, ip, infoHash));
    }
}
