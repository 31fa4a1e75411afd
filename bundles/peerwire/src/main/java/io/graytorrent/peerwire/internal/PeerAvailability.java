package io.graytorrent.peerwire.internal;

import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.PeerProtocolException;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What one peer has announced it has, kept to tell the availability messages (HAVE, BITFIELD,
 * HAVE_ALL, HAVE_NONE) that add pieces from those that repeat what we know. Mainstream clients send
 * a BITFIELD mid-connection where it is shorter than a run of HAVEs, or two BITFIELDs in a row: each
 * message adds to what the peer has (the union), and a late HAVE_NONE takes nothing away. A message
 * that adds nothing is a repeat; repeats are allowed {@value #REPEATS_AT_ONCE} at once and one a
 * second after that. Messages that add pieces need no bound: there can be no more of them than
 * pieces.
 *
 * <p>While the piece count is unknown (a magnet link before its metadata) nothing is kept: HAVEs
 * pass, and every BITFIELD, HAVE_ALL or HAVE_NONE after the first is a repeat.
 *
 * <p>Used on the connection's event loop only.
 */
final class PeerAvailability {
    static final int REPEATS_AT_ONCE = 32;
    private static final long REPEAT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int pieceCount;
    private final LongSupplier nanoClock;
    private final BitSet pieces = new BitSet();
    private boolean all;
    private boolean heardAny;
    /** When the repeats so far are paid off at one an interval (a generic cell rate algorithm). */
    private long repeatsPaidOffAt;

    /** {@code pieceCount}: the torrent's, or 0 while unknown. */
    PeerAvailability(int pieceCount, LongSupplier nanoClock) {
        this.pieceCount = pieceCount;
        this.nanoClock = nanoClock;
        this.repeatsPaidOffAt = nanoClock.getAsLong();
    }

    static boolean isAvailability(PeerMessage message) {
        return message instanceof PeerMessage.Have || message instanceof PeerMessage.Bitfield
                || message instanceof PeerMessage.HaveAll || message instanceof PeerMessage.HaveNone;
    }

    /**
     * Merges an availability message into what the peer has. Returns true if the engine should hear
     * it (the first such message, or one that adds pieces), false for a repeat.
     *
     * @throws PeerProtocolException when the repeats come faster than the bound allows
     */
    boolean merge(PeerMessage message) {
        boolean first = !heardAny;
        heardAny = true;
        if (addsPieces(message) || first) {
            return true;
        }
        countRepeat(message);
        return false;
    }

    private boolean addsPieces(PeerMessage message) {
        if (pieceCount == 0) {
            return message instanceof PeerMessage.Have;
        }
        if (all) {
            return false;
        }
        if (message instanceof PeerMessage.Have have) {
            return addPiece(have.piece());
        }
        if (message instanceof PeerMessage.HaveAll) {
            all = true;
            return pieces.cardinality() < pieceCount;
        }
        if (message instanceof PeerMessage.Bitfield bitfield) {
            boolean added = false;
            for (int piece = 0; piece < pieceCount; piece++) {
                added |= bitfield.has(piece) && addPiece(piece);
            }
            return added;
        }
        return false; // HAVE_NONE
    }

    private boolean addPiece(int piece) {
        if (pieces.get(piece)) {
            return false;
        }
        pieces.set(piece);
        return true;
    }

    private void countRepeat(PeerMessage message) {
        long now = nanoClock.getAsLong();
        long from = repeatsPaidOffAt - now > 0 ? repeatsPaidOffAt : now;
        repeatsPaidOffAt = from + REPEAT_INTERVAL_NANOS;
        if (repeatsPaidOffAt - now > REPEATS_AT_ONCE * REPEAT_INTERVAL_NANOS) {
            throw new PeerProtocolException("availability flood: more than " + REPEATS_AT_ONCE
                    + " messages repeating what the peer had announced, faster than one a second (the last "
                    + message + ")");
        }
    }
}
