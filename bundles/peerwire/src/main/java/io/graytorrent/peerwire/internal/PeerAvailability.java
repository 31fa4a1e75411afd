package io.graytorrent.peerwire.internal;

import io.graytorrent.api.util.Bitfields;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.PeerProtocolException;
import java.util.BitSet;
import java.util.Optional;
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
 * <p>While the piece count is unknown (a magnet link before its metadata) nothing is passed on: what
 * the peer announces is kept (as libtorrent does) until {@link #learn} tells the count, which checks it
 * (a bitfield's length and spare bits, the HAVEs' indices) and hands it on as one message. Until then a
 * message that adds nothing to what is kept counts as a repeat, and HAVE indices are bounded by
 * {@value #MAX_PIECES_UNKNOWN} pieces (20 MiB of metadata; the kept set is at most 128 KiB).
 *
 * <p>Used on the connection's event loop only.
 */
final class PeerAvailability {
    static final int REPEATS_AT_ONCE = 32;
    private static final long REPEAT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    static final int MAX_PIECES_UNKNOWN = 1 << 20;

    /** The torrent's, or 0 while unknown. */
    private int pieceCount;
    private final LongSupplier nanoClock;
    private final BitSet pieces = new BitSet();
    private boolean all;
    /** While the piece count is unknown: the bytes of the BITFIELD received (the union, if several). */
    private byte[] keptBitfield;
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
        if (pieceCount == 0) {
            if (!keep(message) && !first) {
                countRepeat(message);
            }
            return false;
        }
        if (addsPieces(message) || first) {
            return true;
        }
        countRepeat(message);
        return false;
    }

    int pieceCount() {
        return pieceCount;
    }

    /**
     * The piece count became known: checks what was kept against it and returns it as the one message
     * the engine should hear (a BITFIELD or HAVE_ALL), or empty if the peer announced no pieces.
     *
     * @throws PeerProtocolException if the kept bitfield or a kept HAVE does not fit {@code count} pieces
     */
    Optional<PeerMessage> learn(int count) {
        if (keptBitfield != null) {
            if (keptBitfield.length != (count + 7) / 8) {
                throw new PeerProtocolException("bitfield of " + keptBitfield.length + " bytes, received before the"
                        + " metadata, does not fit " + count + " pieces");
            }
            int spareBits = keptBitfield.length * 8 - count;
            if (spareBits > 0 && (keptBitfield[keptBitfield.length - 1] & ((1 << spareBits) - 1)) != 0) {
                throw new PeerProtocolException("bitfield, received before the metadata, has spare bits set");
            }
            pieces.or(Bitfields.unpack(keptBitfield, count));
            keptBitfield = null;
        }
        if (pieces.length() > count) {
            throw new PeerProtocolException("HAVE of piece " + (pieces.length() - 1) + ", received before the metadata,"
                    + " out of range for " + count + " pieces");
        }
        pieceCount = count;
        if (all) {
            pieces.set(0, count);
            return Optional.of(PeerMessage.HaveAll.INSTANCE);
        }
        return pieces.isEmpty() ? Optional.empty() : Optional.of(new PeerMessage.Bitfield(Bitfields.pack(pieces, count)));
    }

    /** Before the piece count is known: keeps the message's pieces; false if it added nothing. */
    private boolean keep(PeerMessage message) {
        if (all) {
            return false;
        }
        if (message instanceof PeerMessage.Have have) {
            if (have.piece() >= MAX_PIECES_UNKNOWN) {
                throw new PeerProtocolException("HAVE of piece " + have.piece() + " before the metadata: more pieces"
                        + " than " + MAX_PIECES_UNKNOWN);
            }
            return addPiece(have.piece());
        }
        if (message instanceof PeerMessage.HaveAll) {
            all = true;
            return true;
        }
        if (message instanceof PeerMessage.Bitfield bitfield) {
            return keepBitfield(bitfield.bits());
        }
        return false; // HAVE_NONE
    }

    private boolean keepBitfield(byte[] bits) {
        if (keptBitfield == null) {
            keptBitfield = bits.clone();
            return true;
        }
        if (bits.length != keptBitfield.length) {
            throw new PeerProtocolException("bitfields of " + keptBitfield.length + " and " + bits.length + " bytes");
        }
        boolean added = false;
        for (int i = 0; i < bits.length; i++) {
            added |= (bits[i] & ~keptBitfield[i]) != 0;
            keptBitfield[i] |= bits[i];
        }
        return added;
    }

    private boolean addsPieces(PeerMessage message) {
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
