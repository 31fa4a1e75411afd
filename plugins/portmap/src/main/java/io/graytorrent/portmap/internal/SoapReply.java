package io.graytorrent.portmap.internal;

/**
 * A UPnP SOAP action's answer (UPnP Device Architecture 1.1, 3.2): the named output argument, or the
 * UPnP fault's {@code errorCode} and {@code errorDescription} as a {@link GatewayReplyException}.
 * Outside input: at most {@value #MAX_CHARS} characters are read.
 */
public final class SoapReply {
    public static final int MAX_CHARS = 16 << 10;

    private SoapReply() {
    }

    /** Throws the fault if {@code body} is one; otherwise nothing (an action without outputs). */
    public static void check(int status, String body) throws GatewayReplyException {
        if (body.length() > MAX_CHARS) {
            throw new GatewayReplyException("a SOAP answer of " + body.length() + " characters");
        }
        String code = XmlText.text(body, "errorCode").orElse(null);
        if (code != null || status != 200) {
            String description = XmlText.text(body, "errorDescription").orElse("HTTP " + status);
            int number = code != null && !code.isEmpty() && code.length() <= 4 && code.chars().allMatch(c -> c >= '0' && c <= '9')
                    ? Integer.parseInt(code) : 0;
            throw new GatewayReplyException("UPnP error " + (code == null ? "" : code + " ") + clip(description), number);
        }
    }

    /** The output argument {@code name} of a successful answer. */
    public static String value(int status, String body, String name) throws GatewayReplyException {
        check(status, body);
        return XmlText.text(body, name).orElseThrow(() -> new GatewayReplyException("no " + name + " in the answer"));
    }

    private static String clip(String text) {
        return text.length() > 80 ? text.substring(0, 80) : text;
    }
}
