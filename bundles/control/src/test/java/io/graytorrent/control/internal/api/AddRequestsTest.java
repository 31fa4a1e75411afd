package io.graytorrent.control.internal.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.control.internal.auth.Caller;
import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.ApiRequest;
import io.graytorrent.api.util.TorrentUrlFetch;
import io.graytorrent.testkit.Unit;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Unit
class AddRequestsTest {
    /** Never reached in these tests: the URL form is TorrentUrlFetchTest's. */
    private static final TorrentUrlFetch FETCH = new TorrentUrlFetch();

    private static ApiRequest request(String contentType, String body, Map<String, List<String>> query) {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return new ApiRequest(HttpMethod.POST, "/api/v1/torrents", List.of(), query, headers,
                body.getBytes(StandardCharsets.ISO_8859_1), Caller.BEARER);
    }

    @Test
    void aTorrentBodyTakesItsOptionsFromTheQuery() throws ApiException {
        AddTorrent add = AddRequests.parse(request("application/x-bittorrent", "d4:infod", Map.of(
                "saveDirectory", List.of("/srv/t/../data"), "paused", List.of("true"), "peer", List.of("127.0.0.1:6881"))), FETCH);
        assertArrayEquals("d4:infod".getBytes(StandardCharsets.US_ASCII), add.torrentFile());
        assertEquals(Path.of("/srv/data"), add.saveDirectory());
        assertTrue(add.paused());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 6881)), add.peers());
    }

    @Test
    void aBrowserFormCarriesTheFileAndFields() throws ApiException {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"torrent\"; filename=\"a.torrent\"\r\n"
                + "Content-Type: application/x-bittorrent\r\n\r\nd4:infod\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"paused\"\r\n\r\ntrue\r\n--XyZ--\r\n";
        AddTorrent add = AddRequests.parse(request("multipart/form-data; boundary=XyZ", body, Map.of()), FETCH);
        assertArrayEquals("d4:infod".getBytes(StandardCharsets.US_ASCII), add.torrentFile());
        assertTrue(add.paused());
        assertNull(add.saveDirectory());

        String unknownField = "--XyZ\r\nContent-Disposition: form-data; name=\"evil\"\r\n\r\nx\r\n--XyZ--\r\n";
        assertThrows(ApiException.class, () -> AddRequests.parse(request("multipart/form-data; boundary=XyZ", unknownField, Map.of()), FETCH));
        String noFile = "--XyZ\r\nContent-Disposition: form-data; name=\"paused\"\r\n\r\ntrue\r\n--XyZ--\r\n";
        assertThrows(ApiException.class, () -> AddRequests.parse(request("multipart/form-data; boundary=XyZ", noFile, Map.of()), FETCH));
        assertThrows(ApiException.class, () -> AddRequests.parse(request("multipart/form-data", "garbage", Map.of()), FETCH));
        // found by ControlEndpointFuzzTest: Netty's Content-Type reading threw StringIndexOutOfBoundsException
        AddTorrent odd = AddRequests.parse(request("multipart/form-data; ;;;;; boundary=\"XyZ\"", body, Map.of()), FETCH);
        assertTrue(odd.paused());
        assertThrows(ApiException.class, () -> AddRequests.parse(request("multipart/form-data; boundary=", body, Map.of()), FETCH));
    }

    @Test
    void aMagnetComesAsJson() throws ApiException {
        AddTorrent add = AddRequests.parse(request("application/json",
                "{\"magnet\":\"magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567\",\"paused\":true,"
                        + "\"peers\":[\"[::1]:7000\"]}", Map.of()), FETCH);
        assertTrue(add.magnetUri().startsWith("magnet:?xt=urn:btih:"));
        assertEquals(List.of(new InetSocketAddress("::1", 7000)), add.peers());
        for (String bad : List.of("{\"magnet\":\"http://x\"}", "{\"magnet\":1}", "{\"magnet\":\"magnet:?\",\"paused\":\"yes\"}",
                "{\"magnet\":\"magnet:?\",\"saveDirectory\":\"relative\"}", "{\"magnet\":\"magnet:?\",\"extra\":1}",
                "{}", "{\"magnet\":\"magnet:?\",\"url\":\"http://127.0.0.1/a.torrent\"}", "{\"url\":\"file:///etc/passwd\"}",
                "{\"url\":\"http://127.0.0.1:1/a.torrent\",\"saveDirectory\":\"relative\"}",
                "{\"magnet\":\"magnet:?" + "x".repeat(9000) + "\"}", "[1]", "{")) {
            ApiException refused = assertThrows(ApiException.class, () -> AddRequests.parse(request("application/json", bad, Map.of()), FETCH), bad);
            assertEquals(HttpResponseStatus.BAD_REQUEST, refused.status(), bad);
        }
    }

    @Test
    void otherContentTypesAre415() {
        ApiException refused = assertThrows(ApiException.class, () -> AddRequests.parse(request("text/plain", "x", Map.of()), FETCH));
        assertEquals(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, refused.status());
    }

    @Test
    void peersAreIpLiteralsWithPortsAndNeverHostNames() throws ApiException {
        assertEquals(List.of(new InetSocketAddress("10.0.0.1", 1)), AddRequests.peers(List.of("10.0.0.1:1")));
        for (String bad : List.of("localhost:6881", "example.com:80", "256.1.1.1:5", "1.2.3.4:0", "1.2.3.4:70000",
                "1.2.3.4", "[zz::1]:5", "")) {
            assertThrows(ApiException.class, () -> AddRequests.peers(List.of(bad)), bad);
        }
        assertThrows(ApiException.class, () -> AddRequests.peers(java.util.Collections.nCopies(65, "1.2.3.4:5")));
    }
}
