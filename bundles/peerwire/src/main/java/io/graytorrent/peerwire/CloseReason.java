package io.graytorrent.peerwire;

/**
 * Why a connection ended.
 *
 * @param description  a line for the log and the UI
 * @param misbehaviour true if the peer broke the protocol (the engine scores or bans it)
 */
public record CloseReason(String description, boolean misbehaviour) {

    /** An ordinary end: our policy, a timeout, the peer hanging up. */
    public static CloseReason normal(String description) {
        return new CloseReason(description, false);
    }

    /** The peer broke the protocol. */
    public static CloseReason misbehaviour(String description) {
        return new CloseReason(description, true);
    }
}
