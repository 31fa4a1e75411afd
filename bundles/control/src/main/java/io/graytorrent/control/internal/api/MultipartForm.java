package io.graytorrent.control.internal.api;

import io.graytorrent.control.internal.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} body (RFC 7578) as its parts, read from the bytes in memory (the
 * body is already bounded by the endpoint's request limit). Only what a browser's form or file drop
 * sends is understood: each part's {@code Content-Disposition: form-data; name=".."; filename=".."};
 * other part headers are ignored. Anything else is refused with a 400.
 */
final class MultipartForm {
    static final int MAX_PARTS = 16;
    private static final int MAX_PART_HEAD = 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final Pattern DISPOSITION = Pattern.compile(
            "(?i)content-disposition:\\s*form-data\\s*;\\s*name=\"([^\"]{1,64})\"(?:\\s*;\\s*filename=\"([^\"]{0,255})\")?\\s*");

    /** One part: its field name, the file name for a file part (else null), and its bytes. */
    record Part(String name, String filename, byte[] content) {
    }

    /** RFC 2046: 1 to 70 of these characters, not ending in a space. */
    private static final Pattern BOUNDARY = Pattern.compile("[0-9A-Za-z'()+_,./:=? -]{0,69}[0-9A-Za-z'()+_,./:=?-]");

    private MultipartForm() {
    }

    /** The boundary parameter of a {@code multipart/form-data} content type, quoted or not. */
    static String boundary(String contentType) throws ApiException {
        for (String parameter : contentType.split(";")) {
            String[] nameValue = parameter.trim().split("=", 2);
            if (nameValue.length == 2 && nameValue[0].trim().equalsIgnoreCase("boundary")) {
                String value = nameValue[1].trim();
                String boundary = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1) : value;
                if (BOUNDARY.matcher(boundary).matches()) {
                    return boundary;
                }
            }
        }
        throw malformed("multipart/form-data needs a valid boundary parameter");
    }

    static List<Part> parse(byte[] body, String boundary) throws ApiException {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        byte[] separator = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        if (!startsWith(body, 0, delimiter)) {
            throw malformed("the body does not start with the boundary");
        }
        List<Part> parts = new ArrayList<>();
        int position = delimiter.length;
        while (!startsWith(body, position, new byte[] {'-', '-'})) {
            if (!startsWith(body, position, CRLF) || parts.size() == MAX_PARTS) {
                throw malformed("at most " + MAX_PARTS + " parts, each after a boundary line");
            }
            int headStart = position + CRLF.length;
            int headEnd = indexOf(body, HEAD_END, headStart);
            if (headEnd < 0 || headEnd - headStart > MAX_PART_HEAD) {
                throw malformed("a part's headers do not end");
            }
            int contentEnd = indexOf(body, separator, headEnd + HEAD_END.length);
            if (contentEnd < 0) {
                throw malformed("a part does not end with the boundary");
            }
            parts.add(part(new String(body, headStart, headEnd - headStart, StandardCharsets.UTF_8),
                    Arrays.copyOfRange(body, headEnd + HEAD_END.length, contentEnd)));
            position = contentEnd + separator.length;
        }
        return parts;
    }

    private static Part part(String head, byte[] content) throws ApiException {
        for (String header : head.split("\r\n")) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                Matcher disposition = DISPOSITION.matcher(header);
                if (!disposition.matches()) {
                    throw malformed("a part's Content-Disposition is not form-data with a name");
                }
                return new Part(disposition.group(1), disposition.group(2), content);
            }
        }
        throw malformed("a part has no Content-Disposition");
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
        return offset + prefix.length <= bytes.length
                && Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] bytes, byte[] target, int from) {
        for (int i = from; i + target.length <= bytes.length; i++) {
            if (startsWith(bytes, i, target)) {
                return i;
            }
        }
        return -1;
    }

    private static ApiException malformed(String why) {
        return ApiException.badRequest("bad_request", "malformed multipart form: " + why);
    }
}
