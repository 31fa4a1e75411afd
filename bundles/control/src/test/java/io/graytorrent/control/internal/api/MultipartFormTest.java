package io.graytorrent.control.internal.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.testkit.Unit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

@Unit
class MultipartFormTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsFieldsAndFilesAsABrowserSendsThem() throws ApiException {
        String body = "--b0undary\r\nContent-Disposition: form-data; name=\"torrent\"; filename=\"x.torrent\"\r\n"
                + "Content-Type: application/x-bittorrent\r\n\r\nd4:info\r\n--b0und\r\nzzz\r\n"
                + "--b0undary\r\ncontent-disposition: form-data; name=\"paused\"\r\n\r\ntrue\r\n--b0undary--\r\n";
        List<MultipartForm.Part> parts = MultipartForm.parse(bytes(body), "b0undary");
        assertEquals(2, parts.size());
        assertEquals("torrent", parts.get(0).name());
        assertEquals("x.torrent", parts.get(0).filename());
        assertArrayEquals(bytes("d4:info\r\n--b0und\r\nzzz"), parts.get(0).content(), "a near-boundary inside the data is data");
        assertEquals("paused", parts.get(1).name());
        assertNull(parts.get(1).filename());
        assertArrayEquals(bytes("true"), parts.get(1).content());
    }

    @Test
    void theBoundaryComesFromTheContentType() throws ApiException {
        assertEquals("XyZ", MultipartForm.boundary("multipart/form-data; boundary=XyZ"));
        assertEquals("a b'c", MultipartForm.boundary("multipart/form-data; charset=x;; BOUNDARY=\"a b'c\""));
        for (String bad : List.of("multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
                "multipart/form-data; boundary=" + "x".repeat(71), "multipart/form-data; boundary=a\u00e9b",
                "multipart/form-data; boundary=ends-in-space\" \"")) {
            assertThrows(ApiException.class, () -> MultipartForm.boundary(bad), bad);
        }
    }

    @Test
    void refusesWhatIsNotAWellFormedForm() {
        String part = "Content-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n";
        for (String bad : List.of("", "garbage", "--b\r\n" + part, "--b\r\n" + part + "--c--",
                "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", "--b\r\nContent-Disposition: attachment\r\n\r\nx\r\n--b--",
                "--b\r\nContent-Disposition: form-data; name=\"a\"\r\nx\r\n--b--", "--bXX" + part + "--b--",
                "--b\r\n" + ("Content-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b\r\n").repeat(MultipartForm.MAX_PARTS) + part + "--b--",
                "--b\r\nX: " + "y".repeat(2000) + "\r\n" + part + "--b--")) {
            assertThrows(ApiException.class, () -> MultipartForm.parse(bytes(bad), "b"), bad);
        }
    }
}
