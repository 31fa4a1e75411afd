package io.graytorrent.peerwire.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.PeerProtocolException;
import io.graytorrent.testkit.Unit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The repeat bound on a fake clock, and what counts as a repeat while the piece count is unknown. */
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
    void withoutAPieceCountHavesPassAndLaterWholeSetMessagesAreRepeats() {
        PeerAvailability magnet = new PeerAvailability(0, now::get);
        assertTrue(magnet.merge(FIRST_PIECE));
        assertTrue(magnet.merge(new PeerMessage.Have(1_000_000)));
        assertFalse(magnet.merge(FIRST_PIECE));
        assertFalse(magnet.merge(PeerMessage.HaveAll.INSTANCE));
        assertTrue(magnet.merge(new PeerMessage.Have(1_000_000)));
    }

    private void repeat(int times) {
        for (int i = 0; i < times; i++) {
            assertFalse(availability.merge(FIRST_PIECE));
        }
    }
}
