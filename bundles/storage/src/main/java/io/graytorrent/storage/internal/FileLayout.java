package io.graytorrent.storage.internal;

import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.Metainfo;
import java.util.ArrayList;
import java.util.List;

/** Maps byte ranges of a torrent's concatenated stream onto its files. Immutable. */
final class FileLayout {

    /** A run of bytes inside one file: {@code length} bytes from {@code fileOffset} of file {@code file}. */
    record Slice(int file, long fileOffset, int length) {
    }

    private final List<FileEntry> files;
    private final long[] starts;
    private final int pieceLength;
    private final int pieceCount;
    private final long totalLength;

    FileLayout(Metainfo metainfo) {
        files = metainfo.files();
        starts = files.stream().mapToLong(FileEntry::offset).toArray();
        pieceLength = metainfo.pieceLength();
        pieceCount = metainfo.pieceCount();
        totalLength = metainfo.totalLength();
        long expectedPieces = (totalLength + pieceLength - 1) / pieceLength;
        if (pieceLength <= 0 || expectedPieces != pieceCount) {
            throw new IllegalArgumentException("metainfo has " + pieceCount + " piece hashes for "
                    + totalLength + " bytes in pieces of " + pieceLength);
        }
    }

    int pieceCount() {
        return pieceCount;
    }

    int fileCount() {
        return files.size();
    }

    FileEntry file(int index) {
        return files.get(index);
    }

    long pieceStart(int piece) {
        return (long) piece * pieceLength;
    }

    int pieceLength(int piece) {
        return (int) Math.min(pieceLength, totalLength - pieceStart(piece));
    }

    /** The slices holding {@code length} bytes from {@code torrentOffset}; zero-length files never appear. */
    List<Slice> slices(long torrentOffset, int length) {
        if (torrentOffset < 0 || length < 0 || torrentOffset + length > totalLength) {
            throw new IndexOutOfBoundsException(torrentOffset + "+" + length + " outside 0.." + totalLength);
        }
        List<Slice> slices = new ArrayList<>(2);
        long position = torrentOffset;
        int remaining = length;
        for (int file = lastFileStartingAtOrBefore(position); remaining > 0; file++) {
            long end = starts[file] + files.get(file).length();
            if (position >= end) {
                continue; // zero-length file, or the range starts past this one
            }
            int taken = (int) Math.min(remaining, end - position);
            slices.add(new Slice(file, position - starts[file], taken));
            position += taken;
            remaining -= taken;
        }
        return slices;
    }

    /** The slices of a whole piece. */
    List<Slice> pieceSlices(int piece) {
        return slices(pieceStart(piece), pieceLength(piece));
    }

    /** The first piece holding a byte of {@code file}, or -1 for a zero-length file. */
    int firstPiece(int file) {
        return files.get(file).length() == 0 ? -1 : (int) (starts[file] / pieceLength);
    }

    /** The last piece holding a byte of {@code file}, or -2 for a zero-length file (so first..last is empty). */
    int lastPiece(int file) {
        long length = files.get(file).length();
        return length == 0 ? -2 : (int) ((starts[file] + length - 1) / pieceLength);
    }

    private int lastFileStartingAtOrBefore(long position) {
        int low = 0;
        int high = starts.length - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (starts[middle] <= position) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }
}
