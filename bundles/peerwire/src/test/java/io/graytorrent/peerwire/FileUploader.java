package io.graytorrent.peerwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;

/**
 * A test-only upload loop on the event loop: HAVE_ALL, unchoke on interest, and every request
 * answered with a block read from the file.
 */
final class FileUploader implements PeerListener {
    private final int pieceLength;
    volatile FileChannel file;
    volatile PeerConnection peer;
    /** Unchokes only once this completes: a test may look at the connection before the transfer. */
    volatile CompletableFuture<Void> unchokeAllowed = CompletableFuture.completedFuture(null);

    FileUploader(int pieceLength) {
        this.pieceLength = pieceLength;
    }

    @Override
    public void onConnected(PeerConnection connected) {
        peer = connected;
        connected.send(PeerMessage.HaveAll.INSTANCE);
    }

    @Override
    public void onMessage(PeerConnection connected, PeerMessage message) {
        if (message instanceof PeerMessage.Interested) {
            unchokeAllowed.thenRun(() -> connected.send(PeerMessage.Unchoke.INSTANCE));
        } else if (message instanceof PeerMessage.Request r) {
            connected.send(new PeerMessage.Piece(r.piece(), r.offset(), read(r)));
        } else if (message instanceof PeerMessage.Piece unexpected) {
            unexpected.data().release();
        }
    }

    private ByteBuf read(PeerMessage.Request request) {
        ByteBuf block = Unpooled.buffer(request.length());
        try {
            file.read(block.nioBuffer(0, request.length()), (long) request.piece() * pieceLength + request.offset());
        } catch (IOException e) {
            block.release();
            throw new UncheckedIOException(e);
        }
        return block.writerIndex(request.length());
    }

    @Override
    public void onClosed(PeerConnection connected, CloseReason reason) {
    }
}
