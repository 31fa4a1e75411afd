package io.graytorrent.control.internal.auth;

/**
 * Who made a request: a program with the Bearer token, a browser with a login session cookie, or
 * nobody in particular (open routes).
 *
 * @param session the login session when {@code via} is {@link Via#COOKIE}, else null
 */
public record Caller(Via via, LoginSessions.Session session) {
    public static final Caller ANONYMOUS = new Caller(Via.NONE, null);
    public static final Caller BEARER = new Caller(Via.BEARER, null);

    enum Via {
        NONE, BEARER, COOKIE
    }
}
