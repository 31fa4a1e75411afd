package io.graytorrent.control.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.testkit.Unit;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

@Unit
class LoginLimiterTest {
    private final AtomicLong now = new AtomicLong();
    private final LoginLimiter limiter = new LoginLimiter(3, Duration.ofSeconds(60), now::get);

    @Test
    void afterTooManyFailuresLoginsWaitUntilTheOldestLeavesTheWindow() {
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.retryAfterSeconds());
            limiter.failed();
            now.addAndGet(Duration.ofSeconds(10).toNanos());
        }
        assertEquals(30, limiter.retryAfterSeconds(), "the first failure was 30 s ago");
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertEquals(1, limiter.retryAfterSeconds());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(0, limiter.retryAfterSeconds(), "one failure left the window");
        limiter.failed();
        assertEquals(10, limiter.retryAfterSeconds(), "the window slides: now the second failure is the oldest");
    }
}
