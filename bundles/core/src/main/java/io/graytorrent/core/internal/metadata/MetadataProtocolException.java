package io.graytorrent.core.internal.metadata;

/** A peer's ut_metadata message is malformed or breaks BEP 9: the peer is dropped. */
public final class MetadataProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public MetadataProtocolException(String message) {
        super(message);
    }
}
