package io.graytorrent.control.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Browser sessions created by a login: a random id (the cookie) and a random CSRF token each. A
 * session unused for {@code idleTimeout} expires; past {@code maxSessions} the least recently used
 * is dropped, so logins cannot grow memory. Thread-safe.
 */
public final class LoginSessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One login; {@code csrfToken} must accompany every change made with its cookie. */
    record Session(String id, String csrfToken) {
        boolean acceptsCsrf(String presented) {
            return presented != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.UTF_8),
                    presented.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final long idleNanos;
    private final int maxSessions;
    private final LongSupplier nanoClock;
    /** By id, in access order: the first entry is the least recently used. */
    private final LinkedHashMap<String, Live> sessions = new LinkedHashMap<>(16, 0.75f, true);

    private record Live(Session session, long lastUse) {
    }

    public LoginSessions(Duration idleTimeout, int maxSessions, LongSupplier nanoClock) {
        this.idleNanos = idleTimeout.toNanos();
        this.maxSessions = maxSessions;
        this.nanoClock = nanoClock;
    }

    Duration idleTimeout() {
        return Duration.ofNanos(idleNanos);
    }

    synchronized Session create() {
        expire();
        if (sessions.size() >= maxSessions) {
            end(sessions.keySet().iterator().next());
        }
        Session session = new Session(randomToken(), randomToken());
        sessions.put(session.id(), new Live(session, nanoClock.getAsLong()));
        return session;
    }

    /** The live session with this cookie value, marked as used now; empty when unknown or expired. */
    synchronized Optional<Session> find(String id) {
        expire();
        Live live = sessions.get(id);
        if (live == null) {
            return Optional.empty();
        }
        sessions.put(id, new Live(live.session(), nanoClock.getAsLong()));
        return Optional.of(live.session());
    }

    synchronized void end(String id) {
        sessions.remove(id);
    }

    synchronized int size() {
        expire();
        return sessions.size();
    }

    private void expire() {
        long now = nanoClock.getAsLong();
        for (Iterator<Live> live = sessions.values().iterator(); live.hasNext(); ) {
            if (now - live.next().lastUse() < idleNanos) {
                return; // access order: everything after was used more recently
            }
            live.remove();
        }
    }

    /** 256 random bits, URL-safe base64 (43 characters). */
    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
