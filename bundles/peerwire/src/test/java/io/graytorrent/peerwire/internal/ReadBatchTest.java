package io.graytorrent.peerwire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.MessageIds;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerListener;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.testkit.Unit;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The messages of one read reach the listener in one {@link PeerListener#onMessages} call, in order, at most
 * {@link PeerSession#MAX_BATCH} at a time, and always before whatever the listener hears next of the connection.
 */
@Unit
class ReadBatchTest {
    private static final int PIECES = 8;
    private static final int BLOCK = 1024;

    private final Recorder engine = new Recorder();
    private final EmbeddedSession connection = new EmbeddedSession(PIECES, engine);

    @Test
    void oneReadIsOneBatchInOrder() {
        connection.receive(EmbeddedSession.handshake(new Capabilities(true, false, false)), 68);
        engine.events.clear();
        read(EmbeddedSession.frame(MessageIds.UNCHOKE), piece(0, 0), piece(0, BLOCK), piece(1, 0));

        assertEquals(List.of("batch Unchoke Piece Piece Piece"), engine.events);
        assertEquals(List.of(0, BLOCK, 0), engine.pieceOffsets());
        engine.releaseBlocks();
    }

    @Test
    void aLongReadIsHandedOverInBatchesOfTheBound() {
        connection.receive(EmbeddedSession.handshake(new Capabilities(true, false, false)), 68);
        engine.events.clear();
        byte[][] blocks = new byte[PeerSession.MAX_BATCH + 3][];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = piece(i % PIECES, i / PIECES * BLOCK);
        }
        read(blocks);

        assertEquals(List.of("batch" + " Piece".repeat(PeerSession.MAX_BATCH), "batch Piece Piece Piece"), engine.events);
        engine.releaseBlocks();
    }

    @Test
    void aBatchInProgressArrivesBeforeTheClose() {
        connection.receive(EmbeddedSession.handshake(new Capabilities(true, false, false)), 68);
        engine.events.clear();
        // a frame too long for any message: the decoder fails after the two good ones
        read(EmbeddedSession.frame(MessageIds.INTERESTED), piece(2, 0), ByteBuffer.allocate(5).putInt(Integer.MAX_VALUE).array());

        assertEquals(List.of("batch Interested Piece", "closed"), engine.events);
        assertTrue(engine.closed.misbehaviour());
        engine.releaseBlocks();
    }

    /** All of {@code frames} in one buffer: one read. */
    private void read(byte[]... frames) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            bytes.writeBytes(frame);
        }
        connection.channel.writeInbound(Unpooled.wrappedBuffer(bytes.toByteArray()));
    }

    private static byte[] piece(int piece, int offset) {
        return EmbeddedSession.frame(MessageIds.PIECE, ByteBuffer.allocate(8 + BLOCK).putInt(piece).putInt(offset).array());
    }

    /** The engine's side: each batch as one event naming its messages' types, and the close. */
    private static final class Recorder implements PeerListener {
        final List<String> events = new ArrayList<>();
        final List<PeerMessage> messages = new ArrayList<>();
        CloseReason closed;

        @Override
        public void onConnected(PeerConnection peer) {
        }

        @Override
        public void onMessage(PeerConnection peer, PeerMessage message) {
            onMessages(peer, List.of(message));
        }

        @Override
        public void onMessages(PeerConnection peer, List<PeerMessage> batch) {
            StringBuilder event = new StringBuilder("batch");
            batch.forEach(message -> event.append(' ').append(message.getClass().getSimpleName()));
            events.add(event.toString());
            messages.addAll(batch);
        }

        @Override
        public void onClosed(PeerConnection peer, CloseReason reason) {
            events.add("closed");
            closed = reason;
        }

        List<Integer> pieceOffsets() {
            return messages.stream().filter(PeerMessage.Piece.class::isInstance)
                    .map(message -> ((PeerMessage.Piece) message).offset()).toList();
        }

        void releaseBlocks() {
            messages.stream().filter(PeerMessage.Piece.class::isInstance)
                    .forEach(message -> ((PeerMessage.Piece) message).data().release());
        }
    }
}
