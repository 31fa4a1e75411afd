package io.graytorrent.portmap.internal;

/**
 * A gateway's reply (SSDP, device description, SOAP, NAT-PMP) that is malformed, too large, or a
 * refusal; a refusal carries the gateway's code (UPnP {@code errorCode}, NAT-PMP result code), else 0.
 */
public final class GatewayReplyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int code;

    public GatewayReplyException(String message) {
        this(message, 0);
    }

    public GatewayReplyException(String message, int code) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
