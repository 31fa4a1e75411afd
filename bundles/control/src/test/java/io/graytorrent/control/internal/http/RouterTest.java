package io.graytorrent.control.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.graytorrent.testkit.Unit;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

@Unit
class RouterTest {
    private final Router.Route files = request -> JsonReply.noContent();
    private final Router.Route patchFiles = request -> JsonReply.noContent();
    private final Router.Route login = request -> JsonReply.noContent();
    private final Router.Route assets = request -> JsonReply.noContent();
    private final Router router = new Router()
            .add(HttpMethod.POST, "/api/v1/login", Router.Access.OPEN, login)
            .add(HttpMethod.GET, "/api/v1/torrents/{}/files", Router.Access.SIGNED_IN, files)
            .add(HttpMethod.PATCH, "/api/v1/torrents/{}/files", Router.Access.SIGNED_IN, patchFiles)
            .add(HttpMethod.GET, "/*", Router.Access.OPEN, assets);

    @Test
    void capturesSegmentsAndPicksTheRouteByMethod() throws ApiException {
        Router.Match get = router.match(HttpMethod.GET, "/api/v1/torrents/12/files");
        assertSame(files, get.route());
        assertEquals(List.of("12"), get.parameters());
        assertEquals(Router.Access.SIGNED_IN, get.access());
        assertSame(patchFiles, router.match(HttpMethod.PATCH, "/api/v1/torrents/ab/files").route());
        assertEquals(Router.Access.OPEN, router.match(HttpMethod.POST, "/api/v1/login").access());
    }

    @Test
    void aFinalStarTakesTheRestOfThePath() throws ApiException {
        assertSame(assets, router.match(HttpMethod.GET, "/app/main.js").route());
        assertEquals(List.of("app/main.js"), router.match(HttpMethod.GET, "/app/main.js").parameters());
        assertEquals(List.of(""), router.match(HttpMethod.GET, "/").parameters());
    }

    @Test
    void unknownPathsAre404AndWrongMethods405WithAllow() {
        Router api = new Router().add(HttpMethod.GET, "/api/v1/torrents/{}/files", Router.Access.SIGNED_IN, files)
                .add(HttpMethod.PATCH, "/api/v1/torrents/{}/files", Router.Access.SIGNED_IN, patchFiles);
        ApiException missing = assertThrows(ApiException.class, () -> api.match(HttpMethod.GET, "/api/v1/torrents/1"));
        assertEquals(HttpResponseStatus.NOT_FOUND, missing.status());
        assertThrows(ApiException.class, () -> api.match(HttpMethod.GET, "/api/v1/torrents/1/files/x"));
        assertThrows(ApiException.class, () -> api.match(HttpMethod.GET, "/api/v1/torrents//files/"));
        ApiException wrongMethod = assertThrows(ApiException.class, () -> api.match(HttpMethod.DELETE, "/api/v1/torrents/1/files"));
        assertEquals(HttpResponseStatus.METHOD_NOT_ALLOWED, wrongMethod.status());
        assertEquals("GET, PATCH", wrongMethod.reply().headers().get("allow"));
    }
}
