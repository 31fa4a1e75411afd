package io.graytorrent.control.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.graytorrent.control.internal.http.ControlServer;
import io.graytorrent.control.internal.http.JsonReply;
import io.graytorrent.control.internal.http.RawHttp;
import io.graytorrent.control.internal.http.Router;
import io.graytorrent.testkit.Unit;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Browser sign-in over real sockets: the token for a cookie, CSRF on changes, the login rate limit, Host/Origin. */
@Timeout(30)
@Unit
public class LoginAndCsrfTest {
    public static final String TOKEN = "0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final Pattern COOKIE = Pattern.compile("(?im)^set-cookie: gray_session=([^;\\r\\n]*)(.*)$");

    private ControlServer server;

    @BeforeEach
    void start() throws Exception {
        Authenticator authenticator = new Authenticator(TOKEN, new LoginSessions(Duration.ofMinutes(5), 8, System::nanoTime), false);
        Router router = new Router();
        new SessionRoutes(authenticator, new LoginLimiter(3, Duration.ofMinutes(1), System::nanoTime)).register(router);
        // a change that only a signed-in caller may make, to see CSRF at work
        router.add(HttpMethod.POST, "/api/v1/change", Router.Access.SIGNED_IN, request -> JsonReply.ok(java.util.Map.of("changed", true)));
        server = new ControlServer(new ControlServer.Settings("127.0.0.1", 0, 4096, null), authenticator, router);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void loginExchangesTheTokenForAStrictHttpOnlyCookieAndACsrfToken() throws IOException {
        String response = request("POST", "/api/v1/login", "Content-Type: application/json\r\n", "{\"token\":\"" + TOKEN + "\"}");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        Matcher cookie = COOKIE.matcher(response);
        assertTrue(cookie.find(), response);
        String attributes = cookie.group(2);
        assertTrue(attributes.contains("HTTPOnly") || attributes.contains("HttpOnly"), attributes);
        assertTrue(attributes.contains("SameSite=Strict") && attributes.contains("Path=/"), attributes);
        assertFalse(attributes.contains("Secure"), "no Secure flag over plain HTTP");
        String session = cookie.group(1);
        String csrf = body(response).get("csrfToken").asText();

        String who = request("GET", "/api/v1/session", "Cookie: gray_session=" + session + "\r\n", null);
        assertEquals("cookie", body(who).get("via").asText(), who);
        assertEquals(csrf, body(who).get("csrfToken").asText());

        String noCsrf = request("POST", "/api/v1/change", "Cookie: gray_session=" + session + "\r\n", "");
        assertTrue(noCsrf.startsWith("HTTP/1.1 403") && noCsrf.contains("\"csrf\""), noCsrf);
        String wrongCsrf = request("POST", "/api/v1/change", "Cookie: gray_session=" + session + "\r\nX-CSRF-Token: "
                + csrf.substring(1) + "x\r\n", "");
        assertTrue(wrongCsrf.startsWith("HTTP/1.1 403"), wrongCsrf);
        String changed = request("POST", "/api/v1/change", "Cookie: gray_session=" + session + "\r\nX-CSRF-Token: " + csrf + "\r\n", "");
        assertTrue(changed.startsWith("HTTP/1.1 200"), changed);
        String bearer = request("POST", "/api/v1/change", "Authorization: Bearer " + TOKEN + "\r\n", "");
        assertTrue(bearer.startsWith("HTTP/1.1 200"), "a Bearer request needs no CSRF token: " + bearer);

        String logout = request("POST", "/api/v1/logout", "Cookie: gray_session=" + session + "\r\nX-CSRF-Token: " + csrf + "\r\n", "");
        assertTrue(logout.startsWith("HTTP/1.1 204") && logout.contains("Max-Age=0"), logout);
        String after = request("GET", "/api/v1/session", "Cookie: gray_session=" + session + "\r\n", null);
        assertTrue(after.startsWith("HTTP/1.1 401"), "the session ended: " + after);
    }

    @Test
    void aFormLoginWorksTooAndNothingButTheTokenSignsIn() throws IOException {
        String form = request("POST", "/api/v1/login", "Content-Type: application/x-www-form-urlencoded\r\n", "token=" + TOKEN);
        assertTrue(form.startsWith("HTTP/1.1 200") && COOKIE.matcher(form).find(), form);
        assertTrue(request("GET", "/api/v1/session", "", null).startsWith("HTTP/1.1 401"));
        assertTrue(request("GET", "/api/v1/session", "Cookie: gray_session=forged\r\n", null).startsWith("HTTP/1.1 401"));
        assertTrue(request("GET", "/api/v1/session", "Authorization: Bearer wrong\r\n", null).startsWith("HTTP/1.1 401"));
        String text = request("POST", "/api/v1/login", "Content-Type: text/plain\r\n", TOKEN);
        assertTrue(text.startsWith("HTTP/1.1 415"), text);
        // found by ControlEndpointFuzzTest: a bad escape in a form was a 500
        String badForm = request("POST", "/api/v1/login", "Content-Type: application/x-www-form-urlencoded\r\n", "token=a%x=1");
        assertTrue(badForm.startsWith("HTTP/1.1 400") && badForm.contains("bad_request"), badForm);
        String badJson = request("POST", "/api/v1/login", "Content-Type: application/json\r\n", "{\"token\":");
        assertTrue(badJson.startsWith("HTTP/1.1 400") && badJson.contains("bad_json"), badJson);
    }

    @Test
    void repeatedWrongTokensAreRateLimitedWithRetryAfter() throws IOException {
        for (int i = 0; i < 3; i++) {
            String wrong = request("POST", "/api/v1/login", "Content-Type: application/json\r\n", "{\"token\":\"guess" + i + "\"}");
            assertTrue(wrong.startsWith("HTTP/1.1 401"), wrong);
        }
        String limited = request("POST", "/api/v1/login", "Content-Type: application/json\r\n", "{\"token\":\"" + TOKEN + "\"}");
        assertTrue(limited.startsWith("HTTP/1.1 429") && limited.contains("too_many_attempts"), limited);
        Matcher retryAfter = Pattern.compile("(?im)^retry-after: (\\d+)").matcher(limited);
        assertTrue(retryAfter.find() && Integer.parseInt(retryAfter.group(1)) > 0 && Integer.parseInt(retryAfter.group(1)) <= 60, limited);
    }

    @Test
    void loginToIsRefusedFromAForeignHostOrOrigin() throws IOException {
        String rebound = send("POST /api/v1/login HTTP/1.1\r\nHost: evil.example:" + server.port()
                + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        assertTrue(rebound.startsWith("HTTP/1.1 403") && rebound.contains("forbidden_host"), rebound);
        String crossSite = request("POST", "/api/v1/login", "Origin: http://evil.example\r\nContent-Type: application/json\r\n",
                "{\"token\":\"" + TOKEN + "\"}");
        assertTrue(crossSite.startsWith("HTTP/1.1 403") && crossSite.contains("forbidden_origin"), crossSite);
        String sameSite = request("POST", "/api/v1/login", "Origin: http://localhost:" + server.port()
                + "\r\nContent-Type: application/json\r\n", "{\"token\":\"" + TOKEN + "\"}");
        assertTrue(sameSite.startsWith("HTTP/1.1 200"), sameSite);
        String httpsOrigin = request("POST", "/api/v1/login", "Origin: https://127.0.0.1:" + server.port()
                + "\r\nContent-Type: application/json\r\n", "{\"token\":\"" + TOKEN + "\"}");
        assertTrue(httpsOrigin.startsWith("HTTP/1.1 403"), "the scheme is part of the origin: " + httpsOrigin);
    }

    private String request(String method, String path, String headers, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        return send(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n" + headers
                + (body == null ? "" : "Content-Length: " + bytes.length + "\r\n") + "\r\n" + (body == null ? "" : body));
    }

    private static JsonNode body(String response) throws IOException {
        return JsonReply.JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    private String send(String request) throws IOException {
        return RawHttp.exchange(server.port(), request);
    }
}
