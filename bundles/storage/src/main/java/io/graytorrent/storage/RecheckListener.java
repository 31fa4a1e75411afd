package io.graytorrent.storage;

/** Progress of a full recheck; called on a disk-pool thread after each piece. */
@org.osgi.annotation.versioning.ConsumerType
@FunctionalInterface
public interface RecheckListener {
    void onProgress(int piecesChecked, int pieceCount);
}
