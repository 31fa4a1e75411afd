package io.graytorrent.peerwire.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.PeerProtocolException;
import io.graytorrent.testkit.Unit;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The repeat bound on a fake clock, and what is kept while the piece count is unknown. */
@Unit
class PeerAvailabilityTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final PeerMessage.Bitfield FIRST_PIECE = new PeerMessage.Bitfield(new byte[] {(byte) 0x80});

    private final AtomicLong now = new AtomicLong(-5 * SECOND); // nanoTime may be negative
    private final PeerAvailability availability = new PeerAvailability(8, now::get);

    @Test
    void repeatsAreAllowedAtOnceUpToTheBoundThenOneASecond() {
        assertTrue(availability.merge(FIRST_PIECE));
        repeat(PeerAvailability.REPEATS_AT_ONCE);
        assertThrows(PeerProtocolException.class, () -> availability.merge(FIRST_PIECE));

        PeerAvailability paced = new PeerAvailability(8, now::get);
        paced.merge(FIRST_PIECE);
        for (int i = 0; i < 10 * PeerAvailability.REPEATS_AT_ONCE; i++) {
            now.addAndGet(SECOND);
            assertFalse(paced.merge(FIRST_PIECE), "one a second, for as long as it lasts");
        }
    }

    @Test
    void theAllowanceComesBackWithTime() {
        availability.merge(FIRST_PIECE);
        repeat(PeerAvailability.REPEATS_AT_ONCE);
        now.addAndGet(10 * SECOND);
        repeat(10);
        assertThrows(PeerProtocolException.class, () -> availability.merge(PeerMessage.HaveNone.INSTANCE));
    }

    @Test
    void newPiecesNeverCountAsRepeats() {
        PeerAvailability many = new PeerAvailability(1000, now::get);
        for (int piece = 0; piece < 1000; piece++) {
            assertTrue(many.merge(new PeerMessage.Have(piece)));
        }
        assertFalse(many.merge(PeerMessage.HaveAll.INSTANCE), "every piece was announced already");
    }

    @Test
    void withoutAPieceCountNothingPassesAndWhatWasKeptIsCheckedOnceTheCountIsKnown() {
        PeerAvailability magnet = new PeerAvailability(0, now::get);
        assertFalse(magnet.merge(FIRST_PIECE));
        assertFalse(magnet.merge(new PeerMessage.Have(6)));
        assertFalse(magnet.merge(new PeerMessage.Bitfield(new byte[] {(byte) 0x40})));
        PeerMessage.Bitfield kept = (PeerMessage.Bitfield) magnet.learn(7).orElseThrow();
        assertArrayEquals(new byte[] {(byte) 0xC2}, kept.bits(), "pieces 0, 1 and 6 in one bitfield");
        assertFalse(magnet.merge(new PeerMessage.Have(6)), "known now: a repeat");
        assertTrue(magnet.merge(new PeerMessage.Have(5)));
    }

    @Test
    void aKeptBitfieldOrHaveThatDoesNotFitTheCountIsRefused() {
        PeerAvailability tooLong = new PeerAvailability(0, now::get);
        tooLong.merge(new PeerMessage.Bitfield(new byte[2]));
        assertThrows(PeerProtocolException.class, () -> tooLong.learn(8));
        PeerAvailability spare = new PeerAvailability(0, now::get);
        spare.merge(new PeerMessage.Bitfield(new byte[] {1}));
        assertThrows(PeerProtocolException.class, () -> spare.learn(7));
        PeerAvailability have = new PeerAvailability(0, now::get);
        have.merge(new PeerMessage.Have(8));
        assertThrows(PeerProtocolException.class, () -> have.learn(8));
        assertThrows(PeerProtocolException.class,
                () -> new PeerAvailability(0, now::get).merge(new PeerMessage.Have(PeerAvailability.MAX_PIECES_UNKNOWN)));
    }

    @Test
    void haveAllBeforeTheCountIsAHaveAllOnceItIsKnown() {
        PeerAvailability magnet = new PeerAvailability(0, now::get);
        magnet.merge(PeerMessage.HaveAll.INSTANCE);
        assertEquals(Optional.of(PeerMessage.HaveAll.INSTANCE), magnet.learn(9));
        assertEquals(Optional.empty(), new PeerAvailability(0, now::get).learn(9), "nothing announced, nothing told");
    }

    private void repeat(int times) {
        for (int i = 0; i < times; i++) {
            assertFalse(availability.merge(FIRST_PIECE));
        }
    }
}
