package io.graytorrent.control.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.control.internal.auth.Caller;
import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.ApiRequest;
import io.graytorrent.control.internal.http.ControlHandler;
import io.graytorrent.control.internal.http.Reply;
import io.graytorrent.control.internal.http.Router;
import io.graytorrent.testkit.Unit;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The web UI's files as this bundle ships them (src/main/resources/web), through the router as the endpoint does. */
@Unit
class WebAssetsTest {
    private final Router router = new Router();

    WebAssetsTest() {
        new WebAssets(WebAssetsTest.class.getClassLoader()).register(router);
    }

    @Test
    void theRootIsThePageWithStrictHeaders() {
        FullHttpResponse page = get("/");
        assertEquals(200, page.status().code());
        assertEquals("text/html; charset=utf-8", page.headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("nosniff", page.headers().get("X-Content-Type-Options"));
        assertEquals("no-cache", page.headers().get(HttpHeaderNames.CACHE_CONTROL));
        assertEquals("DENY", page.headers().get(HttpHeaderNames.X_FRAME_OPTIONS));
        String policy = page.headers().get("Content-Security-Policy");
        assertTrue(policy.contains("script-src 'self';") && policy.startsWith("default-src 'none'"), policy);
        assertFalse(policy.contains("unsafe"), policy);
        assertTrue(body(page).contains("<script type=\"module\" src=\"js/app.js\">"), "the page loads its modules");
    }

    @Test
    void eachKindOfFileHasItsContentType() {
        assertEquals("text/javascript; charset=utf-8", get("/js/app.js").headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("text/css; charset=utf-8", get("/css/app.css").headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("image/svg+xml", get("/favicon.svg").headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals(200, get("/index.html?v=2").status().code(), "a query string does not change the file");
    }

    @Test
    void everyFileThePageAndItsModulesReferToIsServed() {
        Pattern reference = Pattern.compile("(?:src|href)=\"([^\"]+)\"|from '\\./([^']+)'");
        List<String> pages = List.of("/", "/js/app.js", "/js/add.js", "/js/api.js", "/js/canvas.js", "/js/details.js",
                "/js/dom.js", "/js/events.js", "/js/format.js", "/js/labels.js", "/js/piecemap.js", "/js/ratechart.js",
                "/js/settings.js", "/js/store.js", "/js/table.js");
        for (String page : pages) {
            String text = body(get(page));
            assertEquals(200, get(page).status().code(), page);
            assertFalse(text.contains("innerHTML") || text.contains("eval("), page + " builds the DOM without parsing strings");
            Matcher matcher = reference.matcher(text);
            while (matcher.find()) {
                String path = matcher.group(1) != null ? "/" + matcher.group(1) : "/js/" + matcher.group(2);
                assertEquals(200, get(path).status().code(), page + " refers to " + path);
            }
        }
    }

    @Test
    void nothingOutsideTheWebFolderIsReachable() {
        for (String path : List.of("/../web/index.html", "/js/../index.html", "/%2e%2e/pom.xml", "/..%2findex.html",
                "//etc/passwd", "/io/graytorrent/control/internal/WebAssets.class", "/logback-test.xml",
                "/.hidden.js", "/js/", "/js", "/index.html/", "/INDEX.HTML", "/index.html%00.js", "/web/index.html",
                "/META-INF/MANIFEST.MF", "/a/b/c/d/e.js", "/js\\app.js", "/nosuch.js", "?js/app.js", "js/app.js", "")) {
            FullHttpResponse answer = get(path);
            assertEquals(404, answer.status().code(), path);
            assertTrue(body(answer).contains("\"not_found\""), path);
            assertTrue(answer.headers().get(HttpHeaderNames.CONTENT_TYPE).startsWith("application/json"), path);
        }
    }

    @Test
    void anUnchangedFileIsNotSentAgain() {
        String etag = get("/css/app.css").headers().get(HttpHeaderNames.ETAG);
        FullHttpResponse answer = answer(HttpMethod.GET, "/css/app.css", new DefaultHttpHeaders().set(HttpHeaderNames.IF_NONE_MATCH, etag));
        assertEquals(304, answer.status().code());
        assertEquals(0, answer.content().readableBytes());
    }

    @Test
    void headHasNoBodyAndOtherMethodsAreRefused() {
        FullHttpResponse head = answer(HttpMethod.HEAD, "/", new DefaultHttpHeaders());
        assertEquals(200, head.status().code());
        assertEquals(0, head.content().readableBytes());
        assertEquals(get("/").content().readableBytes(), head.headers().getInt(HttpHeaderNames.CONTENT_LENGTH));
        FullHttpResponse post = answer(HttpMethod.POST, "/index.html", new DefaultHttpHeaders());
        assertEquals(405, post.status().code());
        assertTrue(body(post).contains("\"method_not_allowed\""));
    }

    @Test
    void pathsUnderTheApiAreNeverPages() {
        FullHttpResponse answer = get("/api/v1/nosuch.js");
        assertEquals(404, answer.status().code());
        assertTrue(body(answer).contains("no such endpoint"), body(answer));
    }

    private FullHttpResponse get(String path) {
        return answer(HttpMethod.GET, path, new DefaultHttpHeaders());
    }

    /** What the endpoint writes for {@code method path}: the route's reply, or the refusal. */
    private FullHttpResponse answer(HttpMethod method, String path, HttpHeaders headers) {
        Reply reply;
        try {
            // as ControlHandler does: the query goes, %-escapes are decoded
            String decoded = new QueryStringDecoder(path, StandardCharsets.UTF_8, true, 64).path();
            Router.Match match = router.match(method, decoded);
            reply = match.route().handle(new ApiRequest(method, decoded, match.parameters(), Map.of(), headers, new byte[0],
                    Caller.ANONYMOUS));
        } catch (ApiException e) {
            reply = e.reply();
        } catch (io.graytorrent.api.TorrentException e) {
            throw new AssertionError("pages never reach the engine", e);
        }
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        reply.send(channel.pipeline().firstContext());
        FullHttpResponse response = channel.readOutbound();
        channel.finishAndReleaseAll();
        return response;
    }

    private static String body(FullHttpResponse response) {
        return response.content().toString(StandardCharsets.UTF_8);
    }
}
