package io.graytorrent.control.internal.auth;

import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.Router;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Tells who is asking: a program with {@code Authorization: Bearer TOKEN} (the secret in
 * GRAY_HOME/control.token, compared in constant time), or a browser with the cookie of a
 * {@link LoginSessions login session}, whose changes must also carry the session's CSRF token in
 * {@value #CSRF_HEADER}: the cookie alone is sent by the browser whoever made the page.
 */
public final class Authenticator {
    static final String COOKIE_NAME = "gray_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<HttpMethod> SAFE_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD);

    private final byte[] token;
    private final LoginSessions sessions;
    private final boolean secureCookies;

    public Authenticator(String token, LoginSessions sessions, boolean secureCookies) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.sessions = sessions;
        this.secureCookies = secureCookies;
    }

    LoginSessions sessions() {
        return sessions;
    }

    public Caller authenticate(HttpRequest request, Router.Access access) throws ApiException {
        if (access == Router.Access.OPEN) {
            return Caller.ANONYMOUS;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null || access == Router.Access.TOKEN) {
            if (authorization == null || !authorization.startsWith("Bearer ") || !isToken(authorization.substring(7))) {
                throw unauthorized("missing or wrong token (see GRAY_HOME/control.token)");
            }
            return Caller.BEARER;
        }
        LoginSessions.Session session = sessions.find(sessionCookie(request))
                .orElseThrow(() -> unauthorized("log in first (POST /api/v1/login) or send the Bearer token"));
        if (!SAFE_METHODS.contains(request.method()) && !session.acceptsCsrf(request.headers().get(CSRF_HEADER))) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "csrf",
                    "a change made with the session cookie needs the session's " + CSRF_HEADER + " header");
        }
        return new Caller(Caller.Via.COOKIE, session);
    }

    /** Constant-time: the token must not leak through response timing. */
    boolean isToken(String presented) {
        return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The Set-Cookie value that hands {@code session} to the browser. */
    String cookieFor(LoginSessions.Session session) {
        return cookie(session.id(), sessions.idleTimeout().toSeconds());
    }

    /** The Set-Cookie value that makes the browser forget its session. */
    String clearingCookie() {
        return cookie("", 0);
    }

    private String cookie(String value, long maxAgeSeconds) {
        DefaultCookie cookie = new DefaultCookie(COOKIE_NAME, value);
        cookie.setHttpOnly(true);
        cookie.setSameSite(CookieHeaderNames.SameSite.Strict);
        cookie.setPath("/");
        cookie.setSecure(secureCookies);
        cookie.setMaxAge(maxAgeSeconds);
        return ServerCookieEncoder.STRICT.encode(cookie);
    }

    /** The session cookie's value, or "" when the request has none. */
    static String sessionCookie(HttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.COOKIE);
        if (header == null) {
            return "";
        }
        return ServerCookieDecoder.STRICT.decode(header).stream().filter(c -> c.name().equals(COOKIE_NAME))
                .map(Cookie::value).findFirst().orElse("");
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(HttpResponseStatus.UNAUTHORIZED, "unauthorized", message);
    }
}
