package io.graytorrent.control.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

@Unit
class LoginSessionsTest {
    private final AtomicLong now = new AtomicLong();
    private final LoginSessions sessions = new LoginSessions(Duration.ofMinutes(10), 3, now::get);

    @Test
    void sessionsHaveRandomIdsAndCsrfTokensAndAreFoundByCookie() {
        LoginSessions.Session first = sessions.create();
        LoginSessions.Session second = sessions.create();
        assertNotEquals(first.id(), second.id());
        assertNotEquals(first.id(), first.csrfToken());
        assertEquals(43, first.id().length(), "256 bits in URL-safe base64");
        assertEquals(first, sessions.find(first.id()).orElseThrow());
        assertTrue(sessions.find("not-a-session").isEmpty());
        assertTrue(first.acceptsCsrf(first.csrfToken()));
        assertFalse(first.acceptsCsrf(second.csrfToken()));
        assertFalse(first.acceptsCsrf(null));
    }

    @Test
    void anIdleSessionExpiresAndUseKeepsOneAlive() {
        LoginSessions.Session idle = sessions.create();
        LoginSessions.Session busy = sessions.create();
        now.addAndGet(Duration.ofMinutes(6).toNanos());
        assertTrue(sessions.find(busy.id()).isPresent());
        now.addAndGet(Duration.ofMinutes(6).toNanos());
        assertTrue(sessions.find(idle.id()).isEmpty(), "12 minutes unused");
        assertTrue(sessions.find(busy.id()).isPresent(), "used 6 minutes ago");
    }

    @Test
    void pastTheLimitTheLeastRecentlyUsedSessionGoes() {
        LoginSessions.Session a = sessions.create();
        LoginSessions.Session b = sessions.create();
        LoginSessions.Session c = sessions.create();
        sessions.find(a.id());
        LoginSessions.Session d = sessions.create();
        assertEquals(3, sessions.size());
        assertTrue(sessions.find(b.id()).isEmpty(), "b was used least recently");
        assertTrue(sessions.find(a.id()).isPresent() && sessions.find(c.id()).isPresent() && sessions.find(d.id()).isPresent());
        sessions.end(a.id());
        assertTrue(sessions.find(a.id()).isEmpty());
    }
}
