package io.graytorrent.peerwire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.MessageIds;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerListener;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.testkit.Unit;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Availability messages in the orders mainstream clients send them, through the whole incoming
 * pipeline with the bytes split into small chunks: a late BITFIELD or HAVE_ALL adds to what the
 * peer has, a late HAVE_NONE changes nothing, repeats are not passed on, and only a flood of repeats
 * closes the connection.
 */
@Unit
class LateAvailabilityTest {
    private static final int PIECES = 20;
    private static final int CHUNK = 3;
    private static final byte[] INTERESTED = frame(MessageIds.INTERESTED);

    private final Recorder engine = new Recorder();
    private final EmbeddedSession connection = new EmbeddedSession(PIECES, engine);

    @Test
    void aBitfieldAfterHavesAddsItsPieces() {
        receive(have(3), have(11), bitfield(0, 1, 3), INTERESTED);
        assertOpen();
        assertEquals(pieces(0, 1, 3, 11), engine.pieces());
        assertEquals(4, engine.messages.size(), "both HAVEs, the BITFIELD and INTERESTED");
    }

    @Test
    void aSecondBitfieldAddsItsPiecesAndAThirdRepeatingThemIsNotPassedOn() {
        receive(bitfield(0, 1), bitfield(1, 5), bitfield(1, 5), have(0), INTERESTED);
        assertOpen();
        assertEquals(pieces(0, 1, 5), engine.pieces());
        assertEquals(List.of(PeerMessage.Bitfield.class, PeerMessage.Bitfield.class, PeerMessage.Interested.class),
                engine.messageTypes());
    }

    @Test
    void haveAllAfterHavesMakesTheRemoteASeedAndLaterHavesAreRepeats() {
        receive(have(2), have(7), frame(MessageIds.HAVE_ALL), have(4), bitfield(4), INTERESTED);
        assertOpen();
        BitSet all = new BitSet();
        all.set(0, PIECES);
        assertEquals(all, engine.pieces());
        assertEquals(List.of(PeerMessage.Have.class, PeerMessage.Have.class, PeerMessage.HaveAll.class,
                PeerMessage.Interested.class), engine.messageTypes());
    }

    @Test
    void aLateHaveNoneIsIgnored() {
        receive(bitfield(0, 9), frame(MessageIds.HAVE_NONE), have(12), INTERESTED);
        assertOpen();
        assertEquals(pieces(0, 9, 12), engine.pieces());
        assertEquals(List.of(PeerMessage.Bitfield.class, PeerMessage.Have.class, PeerMessage.Interested.class),
                engine.messageTypes());
    }

    @Test
    void aLateBitfieldStillHasItsLengthAndSpareBitsChecked() {
        receive(have(1), frame(MessageIds.BITFIELD, (byte) 0, (byte) 0, (byte) 0x01));
        assertTrue(engine.closed.misbehaviour());
        assertTrue(engine.closed.description().contains("spare bits"), engine.closed.description());
    }

    @Test
    void aFloodOfRepeatsIsClosedAsMisbehaviourPastTheBound() {
        ByteArrayOutputStream flood = new ByteArrayOutputStream();
        flood.writeBytes(bitfield(0, 6));
        for (int i = 0; i < 1000; i++) {
            flood.writeBytes(i % 2 == 0 ? bitfield(6) : have(0));
        }
        receive(flood.toByteArray());
        assertFalse(connection.channel.isOpen());
        assertTrue(engine.closed.misbehaviour());
        assertTrue(engine.closed.description().startsWith("availability flood"), engine.closed.description());
        assertEquals(List.of(PeerMessage.Bitfield.class), engine.messageTypes(), "no repeat was passed on");
        assertEquals(pieces(0, 6), engine.pieces());
    }

    @Test
    void repeatsUpToTheBoundKeepTheConnection() {
        ByteArrayOutputStream repeats = new ByteArrayOutputStream();
        repeats.writeBytes(bitfield(2));
        for (int i = 0; i < PeerAvailability.REPEATS_AT_ONCE; i++) {
            repeats.writeBytes(bitfield(2));
        }
        receive(repeats.toByteArray(), INTERESTED);
        assertOpen();
        assertEquals(List.of(PeerMessage.Bitfield.class, PeerMessage.Interested.class), engine.messageTypes());
    }

    @Test
    void beforeTheMetadataAvailabilityIsKeptThenCheckedAndDeliveredAsOneBitfield() {
        EmbeddedSession magnet = new EmbeddedSession(0, engine);
        magnet.receive(handshakeThen(bitfield(0, 3), have(19), have(3), INTERESTED), CHUNK);
        assertEquals(List.of(PeerMessage.Interested.class), engine.messageTypes(), "no availability without a count");
        magnet.session.pieceCount(PIECES);
        magnet.channel.runPendingTasks();
        assertEquals(List.of(PeerMessage.Interested.class, PeerMessage.Bitfield.class), engine.messageTypes());
        assertEquals(pieces(0, 3, 19), engine.pieces());
        magnet.receive(have(PIECES), CHUNK);
        assertTrue(engine.closed.misbehaviour(), "the decoder checks indices against the count it learnt");
    }

    @Test
    void aBitfieldKeptBeforeTheMetadataThatDoesNotFitClosesTheConnection() {
        EmbeddedSession magnet = new EmbeddedSession(0, engine);
        magnet.receive(handshakeThen(frame(MessageIds.BITFIELD, new byte[4])), CHUNK);
        magnet.session.pieceCount(PIECES);
        magnet.channel.runPendingTasks();
        assertFalse(magnet.channel.isOpen());
        assertTrue(engine.closed.misbehaviour());
        assertTrue(engine.closed.description().contains("does not fit"), engine.closed.description());
    }

    private void receive(byte[]... messages) {
        connection.receive(handshakeThen(messages), CHUNK);
    }

    private static byte[] handshakeThen(byte[]... messages) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(EmbeddedSession.handshake(new Capabilities(true, false, false)));
        for (byte[] message : messages) {
            bytes.writeBytes(message);
        }
        return bytes.toByteArray();
    }

    private void assertOpen() {
        assertNull(engine.closed, () -> "closed: " + engine.closed);
        assertTrue(connection.channel.isOpen());
    }

    private static BitSet pieces(int... indices) {
        BitSet set = new BitSet();
        for (int piece : indices) {
            set.set(piece);
        }
        return set;
    }

    /** {@code <len=5><id=4><piece index>} */
    private static byte[] have(int piece) {
        return frame(MessageIds.HAVE, ByteBuffer.allocate(4).putInt(piece).array());
    }

    /** {@code <len=1+3><id=5><bits>} for {@value #PIECES} pieces: 4 spare bits. */
    private static byte[] bitfield(int... indices) {
        byte[] bits = new byte[(PIECES + 7) / 8];
        for (int piece : indices) {
            bits[piece >>> 3] |= (byte) (0x80 >>> (piece & 7));
        }
        return frame(MessageIds.BITFIELD, bits);
    }

    private static byte[] frame(int id, byte... payload) {
        return EmbeddedSession.frame(id, payload);
    }

    /** The engine's side: what it was told, and the pieces that makes the peer have. */
    private static final class Recorder implements PeerListener {
        final List<PeerMessage> messages = new ArrayList<>();
        CloseReason closed;

        @Override
        public void onConnected(PeerConnection peer) {
        }

        @Override
        public void onMessage(PeerConnection peer, PeerMessage message) {
            messages.add(message);
        }

        @Override
        public void onClosed(PeerConnection peer, CloseReason reason) {
            closed = reason;
        }

        List<Class<?>> messageTypes() {
            return messages.stream().<Class<?>>map(Object::getClass).toList();
        }

        BitSet pieces() {
            BitSet pieces = new BitSet();
            for (PeerMessage message : messages) {
                if (message instanceof PeerMessage.Have have) {
                    pieces.set(have.piece());
                } else if (message instanceof PeerMessage.HaveAll) {
                    pieces.set(0, PIECES);
                } else if (message instanceof PeerMessage.Bitfield bitfield) {
                    for (int piece = 0; piece < PIECES; piece++) {
                        if (bitfield.has(piece)) {
                            pieces.set(piece);
                        }
                    }
                }
            }
            return pieces;
        }
    }
}
