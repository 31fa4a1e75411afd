package io.graytorrent.control.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.ApiRequest;
import io.graytorrent.control.internal.http.JsonFields;
import io.graytorrent.control.internal.http.JsonReply;
import io.graytorrent.control.internal.http.Reply;
import io.graytorrent.control.internal.http.Router;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Login (token → session cookie + CSRF token), logout, and who the caller is. */
public final class SessionRoutes {
    private static final int MAX_TOKEN_LENGTH = 256;

    private final Authenticator authenticator;
    private final LoginLimiter limiter;

    public SessionRoutes(Authenticator authenticator, LoginLimiter limiter) {
        this.authenticator = authenticator;
        this.limiter = limiter;
    }

    public void register(Router router) {
        router.add(HttpMethod.POST, "/api/v1/login", Router.Access.OPEN, this::login)
                .add(HttpMethod.POST, "/api/v1/logout", Router.Access.SIGNED_IN, this::logout)
                .add(HttpMethod.GET, "/api/v1/session", Router.Access.SIGNED_IN, SessionRoutes::session);
    }

    private Reply login(ApiRequest request) throws ApiException {
        long retryAfter = limiter.retryAfterSeconds();
        if (retryAfter > 0) {
            throw new ApiException(HttpResponseStatus.TOO_MANY_REQUESTS, "too_many_attempts",
                    "too many failed logins; try again in " + retryAfter + " s",
                    Map.of(HttpHeaderNames.RETRY_AFTER.toString(), Long.toString(retryAfter)));
        }
        if (!authenticator.isToken(presentedToken(request))) {
            limiter.failed();
            throw new ApiException(HttpResponseStatus.UNAUTHORIZED, "unauthorized", "wrong token (see GRAY_HOME/control.token)");
        }
        LoginSessions.Session session = authenticator.sessions().create();
        return JsonReply.ok(Map.of("csrfToken", session.csrfToken(),
                        "expiresInSeconds", authenticator.sessions().idleTimeout().toSeconds()))
                .withHeader(HttpHeaderNames.SET_COOKIE.toString(), authenticator.cookieFor(session));
    }

    /** The token from a JSON body {@code {"token":..}} or a form field {@code token}. */
    private static String presentedToken(ApiRequest request) throws ApiException {
        String token;
        if (request.contentType().equals("application/x-www-form-urlencoded")) {
            List<String> values;
            try {
                values = new QueryStringDecoder(new String(request.body(), StandardCharsets.UTF_8), false).parameters().get("token");
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("bad_request", "malformed form: " + e.getMessage());
            }
            token = values == null || values.size() != 1 ? null : values.get(0);
        } else {
            JsonNode body = request.jsonObject();
            JsonFields.onlyKeys(body, Set.of("token"));
            token = JsonFields.text(body, "token", MAX_TOKEN_LENGTH);
        }
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            throw ApiException.badRequest("bad_field", "give the token (at most " + MAX_TOKEN_LENGTH + " characters)");
        }
        return token;
    }

    private Reply logout(ApiRequest request) {
        if (request.caller().via() != Caller.Via.COOKIE) {
            return JsonReply.noContent();
        }
        authenticator.sessions().end(request.caller().session().id());
        return JsonReply.noContent().withHeader(HttpHeaderNames.SET_COOKIE.toString(), authenticator.clearingCookie());
    }

    private static Reply session(ApiRequest request) {
        return request.caller().via() == Caller.Via.COOKIE
                ? JsonReply.ok(Map.of("via", "cookie", "csrfToken", request.caller().session().csrfToken()))
                : JsonReply.ok(Map.of("via", "bearer"));
    }
}
