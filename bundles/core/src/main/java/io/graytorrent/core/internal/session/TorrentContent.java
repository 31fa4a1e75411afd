package io.graytorrent.core.internal.session;

import io.graytorrent.api.FilePriority;
import io.graytorrent.api.FileStatus;
import io.graytorrent.core.internal.files.TorrentLayout;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.V2Pieces;
import io.graytorrent.storage.TorrentStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;

/**
 * What a torrent holds once its metadata is known: the layout of its files, its storage once opened,
 * the verified pieces, and the file priorities with the pieces they make wanted. Owned by the
 * torrent's executor; {@link #metainfo}, {@link #files()} and {@link #storage()} may be read from any thread.
 */
final class TorrentContent {
    final Metainfo metainfo;
    private final TorrentLayout layout;
    private volatile TorrentStorage storage;
    private BitSet have = new BitSet();
    private List<FilePriority> priorities;
    private BitSet wanted;

    TorrentContent(Metainfo metainfo) {
        this.metainfo = metainfo;
        this.layout = new TorrentLayout(metainfo);
        this.priorities = Collections.nCopies(metainfo.files().size(), FilePriority.NORMAL);
        this.wanted = layout.wantedPieces(priorities);
    }

    /** The opened storage, or null before it opens (or when it failed to). */
    TorrentStorage storage() {
        return storage;
    }

    /** The storage opened: what it verified and the priorities it keeps are the torrent's now. */
    void opened(TorrentStorage opened) {
        storage = opened;
        refreshFromStorage();
    }

    void refreshFromStorage() {
        have = storage.verifiedPieces();
        priorities = storage.filePriorities();
        wanted = layout.wantedPieces(priorities);
    }

    /** Selected edge pieces may have moved into place after a priority change. */
    void refreshVerified() {
        have = storage.verifiedPieces();
    }

    /** The verified pieces, live. */
    BitSet have() {
        return have;
    }

    boolean isComplete() {
        BitSet missing = (BitSet) wanted.clone();
        missing.andNot(have);
        return missing.isEmpty();
    }

    /** Sets {@code files} to {@code priority} at once (the storage follows); returns every file's priority. */
    List<FilePriority> setPriority(List<Integer> files, FilePriority priority) {
        List<FilePriority> changed = new ArrayList<>(priorities);
        files.forEach(file -> changed.set(file, priority));
        priorities = List.copyOf(changed);
        wanted = layout.wantedPieces(priorities);
        return priorities;
    }

    /** The storage is closing (its data moves): none until {@link #opened} again. */
    void closing() {
        storage = null;
    }

    /** The first and last piece of each wanted file. */
    BitSet edgePieces() {
        return layout.edgePieces(priorities);
    }

    /**
     * Per piece the priority the picker takes. A v2-only piece whose file's piece layer is not known yet (metadata
     * from a magnet link) is not picked: it could be neither verified nor blamed; it is once the layer arrives.
     */
    int[] piecePriorities() {
        int[] pieces = layout.piecePriorities(priorities);
        TorrentStorage opened = storage;
        if (opened != null && metainfo.isV2Only() && opened.pieceLayers().isPresent()) {
            V2Pieces v2 = new V2Pieces(opened.pieceLayers().get());
            if (!v2.layers().missing().isEmpty()) {
                for (int piece = 0; piece < pieces.length; piece++) {
                    if (!v2.isKnown(piece)) {
                        pieces[piece] = 0;
                    }
                }
            }
        }
        return pieces;
    }

    long totalBytes() {
        return layout.totalBytes();
    }

    long wantedBytes() {
        return layout.wantedBytes(priorities);
    }

    long verifiedWantedBytes() {
        return layout.verifiedWantedBytes(have, priorities);
    }

    /** Files with their verified bytes, from the storage's thread-safe copies. */
    List<FileStatus> files() {
        TorrentStorage opened = storage;
        return opened == null ? layout.files(new BitSet(), Collections.nCopies(metainfo.files().size(), FilePriority.NORMAL))
                : layout.files(opened.verifiedPieces(), opened.filePriorities());
    }

    /** Where the data lives: the save directory, or the torrent's own directory in it for several files. */
    Path dataRoot(Path saveDirectory) {
        return metainfo.multiFile() ? saveDirectory.resolve(metainfo.name()) : saveDirectory;
    }
}
