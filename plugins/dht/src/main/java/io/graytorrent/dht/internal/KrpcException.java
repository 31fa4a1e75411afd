package io.graytorrent.dht.internal;

/**
 * A datagram that is not a KRPC message we accept. {@link #answerableTransactionId()} is the
 * transaction id of a query that deserves a 203 answer (BEP 5: malformed packet, invalid
 * arguments), or null when the datagram is dropped without one.
 */
public final class KrpcException extends Exception {
    private final byte[] answerableTransactionId;

    KrpcException(String message, byte[] answerableTransactionId) {
        super(message, null, false, false);
        this.answerableTransactionId = answerableTransactionId;
    }

    public byte[] answerableTransactionId() {
        return answerableTransactionId == null ? null : answerableTransactionId.clone();
    }
}
