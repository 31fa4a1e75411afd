package io.graytorrent.metainfo.internal;

import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoException;
import io.graytorrent.metainfo.MetainfoV2;
import java.util.List;

/**
 * Checks that a hybrid torrent's v1 and v2 views describe the same files, of the same sizes, in the
 * same order, at the same piece-aligned places (the v1 view's padding files standing for v2's
 * alignment). Trusting one view alone would let a crafted torrent serve different data to v1 and
 * v2 peers.
 */
public final class HybridViews {
    private HybridViews() {
    }

    public static void checkAgree(Metainfo v1, MetainfoV2 v2) throws MetainfoException {
        if (v1.multiFile() != v2.multiFile()) {
            throw disagree(v1.multiFile() ? "v1 lists several files, v2 holds a single file"
                    : "v1 holds a single file, v2 a file tree");
        }
        List<FileEntry> v1Files = v1.files().stream().filter(f -> !f.isPadding()).toList();
        if (v1Files.size() != v2.files().size()) {
            throw disagree("v1 has " + v1Files.size() + " files, v2 has " + v2.files().size());
        }
        for (int i = 0; i < v1Files.size(); i++) {
            FileEntry one = v1Files.get(i);
            FileEntry two = v2.files().get(i).entry();
            if (!one.path().equals(two.path()) || one.length() != two.length()) {
                throw disagree("file " + i + " is '" + shown(one) + "' (" + one.length() + " bytes) in v1 but '"
                        + shown(two) + "' (" + two.length() + " bytes) in v2");
            }
            if (one.length() > 0 && one.offset() != two.offset()) {
                throw disagree("file '" + shown(one) + "' starts at byte " + one.offset() + " in v1 but at the piece"
                        + " boundary " + two.offset() + " in v2 (missing or wrong padding files)");
            }
        }
    }

    private static String shown(FileEntry file) {
        return SafePath.printable(file.displayPath());
    }

    private static MetainfoException disagree(String detail) {
        return new MetainfoException("the hybrid torrent's v1 and v2 views disagree: " + detail);
    }
}
