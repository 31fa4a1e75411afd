package io.graytorrent.storage;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The process {@link CrashTest} kills: reopens the torrent's storage, then writes the missing pieces
 * in random order (some first with garbage), verifying them and checkpointing every few pieces.
 * After each checkpoint it prints {@code CHECKPOINT <bitfield hex>}: the pieces the record now holds.
 * Arguments: state directory, save directory, random seed.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        TestTorrent torrent = CrashTest.torrent();
        Random random = new Random(Long.parseLong(args[2]));
        StorageService service = Storages.create(StorageConfig.defaults(Path.of(args[0])));
        TorrentStorage storage = service.open(torrent.metainfo, Path.of(args[1]), List.of()).join();
        System.out.println("OPEN " + storage.verifiedPieces().cardinality());
        List<Integer> missing = new ArrayList<>();
        BitSet verified = storage.verifiedPieces();
        for (int piece = 0; piece < torrent.metainfo.pieceCount(); piece++) {
            if (!verified.get(piece)) {
                missing.add(piece);
            }
        }
        Collections.shuffle(missing, random);
        List<CompletableFuture<Boolean>> batch = new ArrayList<>();
        for (int piece : missing) {
            if (random.nextInt(4) == 0) {
                byte[] garbage = new byte[torrent.metainfo.pieceLength(piece)];
                random.nextBytes(garbage);
                storage.writeBlock(piece, 0, ByteBuffer.wrap(garbage)).join();
                if (storage.verifyPiece(piece).join()) {
                    throw new AssertionError("garbage verified as piece " + piece);
                }
            }
            storage.writeBlock(piece, 0, torrent.piece(piece));
            batch.add(storage.verifyPiece(piece));
            if (batch.size() == 3) {
                checkpoint(storage, batch);
            }
        }
        checkpoint(storage, batch);
        System.out.println("DONE");
        storage.closeAsync().join();
        service.close();
    }

    private static void checkpoint(TorrentStorage storage, List<CompletableFuture<Boolean>> batch) {
        batch.forEach(CompletableFuture::join);
        batch.clear();
        BitSet recorded = storage.verifiedPieces();
        storage.checkpoint().join();
        System.out.println("CHECKPOINT " + HexFormat.of().formatHex(recorded.toByteArray()));
    }
}
