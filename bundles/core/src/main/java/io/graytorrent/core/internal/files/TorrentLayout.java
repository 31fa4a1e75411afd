package io.graytorrent.core.internal.files;

import io.graytorrent.api.FilePriority;
import io.graytorrent.api.FileStatus;
import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.Metainfo;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** Where files fall in pieces: piece priorities from file priorities, and byte counts of verified pieces. */
public final class TorrentLayout {
    private final Metainfo metainfo;

    public TorrentLayout(Metainfo metainfo) {
        this.metainfo = metainfo;
    }

    /** Per piece the highest priority of the (non-padding) files it touches: 0 skip … 3 high, as the picker takes. */
    public int[] piecePriorities(List<FilePriority> filePriorities) {
        int[] pieces = new int[metainfo.pieceCount()];
        List<FileEntry> files = metainfo.files();
        for (int i = 0; i < files.size(); i++) {
            FileEntry file = files.get(i);
            if (file.isPadding() || file.length() == 0) {
                continue;
            }
            int priority = filePriorities.get(i).ordinal();
            for (int piece = firstPiece(file); piece <= lastPiece(file); piece++) {
                pieces[piece] = Math.max(pieces[piece], priority);
            }
        }
        return pieces;
    }

    /** The first and last piece of each wanted (non-padding, non-empty) file: what a player reads first. */
    public BitSet edgePieces(List<FilePriority> filePriorities) {
        BitSet edges = new BitSet(metainfo.pieceCount());
        List<FileEntry> files = metainfo.files();
        for (int i = 0; i < files.size(); i++) {
            FileEntry file = files.get(i);
            if (!file.isPadding() && file.length() > 0 && filePriorities.get(i) != FilePriority.SKIP) {
                edges.set(firstPiece(file));
                edges.set(lastPiece(file));
            }
        }
        return edges;
    }

    /** Pieces that touch a wanted file. */
    public BitSet wantedPieces(List<FilePriority> filePriorities) {
        int[] priorities = piecePriorities(filePriorities);
        BitSet wanted = new BitSet(priorities.length);
        for (int piece = 0; piece < priorities.length; piece++) {
            if (priorities[piece] > 0) {
                wanted.set(piece);
            }
        }
        return wanted;
    }

    public long totalBytes() {
        return metainfo.files().stream().filter(f -> !f.isPadding()).mapToLong(FileEntry::length).sum();
    }

    public long wantedBytes(List<FilePriority> filePriorities) {
        long sum = 0;
        for (int i = 0; i < metainfo.files().size(); i++) {
            FileEntry file = metainfo.files().get(i);
            if (!file.isPadding() && filePriorities.get(i) != FilePriority.SKIP) {
                sum += file.length();
            }
        }
        return sum;
    }

    /** Bytes of wanted files that lie in verified pieces. */
    public long verifiedWantedBytes(BitSet verified, List<FilePriority> filePriorities) {
        long sum = 0;
        for (FileStatus file : files(verified, filePriorities)) {
            if (file.priority() != FilePriority.SKIP) {
                sum += file.verifiedBytes();
            }
        }
        return sum;
    }

    /** One status per non-padding file, with the bytes of it in verified pieces. */
    public List<FileStatus> files(BitSet verified, List<FilePriority> filePriorities) {
        List<FileStatus> statuses = new ArrayList<>();
        List<FileEntry> files = metainfo.files();
        for (int i = 0; i < files.size(); i++) {
            FileEntry file = files.get(i);
            if (file.isPadding()) {
                continue;
            }
            long verifiedBytes = 0;
            if (file.length() > 0) {
                for (int piece = firstPiece(file); piece <= lastPiece(file); piece = nextVerified(verified, piece + 1)) {
                    if (verified.get(piece)) {
                        verifiedBytes += overlap(file, piece);
                    }
                }
            }
            statuses.add(new FileStatus(i, file.displayPath(), file.length(), verifiedBytes, filePriorities.get(i)));
        }
        return statuses;
    }

    private static int nextVerified(BitSet verified, int from) {
        int next = verified.nextSetBit(from);
        return next < 0 ? Integer.MAX_VALUE : next;
    }

    private long overlap(FileEntry file, int piece) {
        long pieceStart = (long) piece * metainfo.pieceLength();
        long start = Math.max(pieceStart, file.offset());
        long end = Math.min(pieceStart + metainfo.pieceLength(piece), file.offset() + file.length());
        return Math.max(0, end - start);
    }

    private int firstPiece(FileEntry file) {
        return (int) (file.offset() / metainfo.pieceLength());
    }

    private int lastPiece(FileEntry file) {
        return (int) ((file.offset() + file.length() - 1) / metainfo.pieceLength());
    }
}
