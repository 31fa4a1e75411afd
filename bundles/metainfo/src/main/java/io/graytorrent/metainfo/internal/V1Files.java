package io.graytorrent.metainfo.internal;

import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BList;
import io.graytorrent.bencode.BString;
import io.graytorrent.bencode.BValue;
import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.MetainfoException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files of a v1 info dictionary ({@code length}, or the {@code files} list), each path made
 * safe and given a place of its own, with BEP 47 attributes.
 */
public final class V1Files {
    private V1Files() {
    }

    /** The files of {@code info}; {@code name} is the already safe torrent name. */
    public static List<FileEntry> read(Fields info, String name, int maxFiles) throws MetainfoException {
        if (info.get("files").isEmpty()) {
            String attributes = info.optionalString("attr").orElse("");
            return List.of(new FileEntry(List.of(name), fileLength(info, attributes), 0, attributes));
        }
        BList list = info.requireList("files");
        if (list.values().isEmpty()) {
            throw new MetainfoException("'info.files' is empty");
        }
        if (list.values().size() > maxFiles) {
            throw new MetainfoException("the torrent lists " + list.values().size() + " files, more than " + maxFiles);
        }
        List<FileEntry> files = new ArrayList<>(list.values().size());
        FileTree tree = new FileTree();
        boolean anyNamed = false;
        long offset = 0;
        for (int i = 0; i < list.values().size(); i++) {
            String where = "info.files[" + i + "]";
            if (!(list.values().get(i) instanceof BDictionary dict)) {
                throw new MetainfoException("'" + where + "' is not a dictionary");
            }
            Fields file = new Fields(dict, where + ".");
            String attributes = file.optionalString("attr").orElse("");
            long length = fileLength(file, attributes);
            boolean padding = attributes.indexOf('p') >= 0;
            List<String> path = SafePath.sanitize(filePath(file, padding, length));
            if (padding) { // never written, and creators reuse their names
                path = path.isEmpty() ? List.of(".pad", Long.toString(length)) : path;
            } else {
                anyNamed |= !path.isEmpty();
                path = tree.place(path.isEmpty() ? List.of(SafePath.REPLACEMENT) : path);
            }
            files.add(new FileEntry(path, length, offset, attributes));
            if (length > Long.MAX_VALUE - offset) {
                throw new MetainfoException("the total length of the files does not fit in 63 bits");
            }
            offset += length;
        }
        if (!anyNamed) {
            throw new MetainfoException("no file of the torrent has a usable path (each is empty, '.' or '..')");
        }
        return files;
    }

    /** The length, which BEP 47 lets a symlink leave out (it has no data in the torrent). */
    public static long fileLength(Fields file, String attributes) throws MetainfoException {
        boolean symlink = attributes.indexOf('l') >= 0;
        long length = symlink ? file.optionalInteger("length").orElse(0L) : file.requireInteger("length");
        if (length < 0) {
            throw new MetainfoException("'" + file.where() + "length' is negative: " + length);
        }
        return length;
    }

    /** {@code path.utf-8} when every component of it is valid UTF-8, else {@code path}; not yet safe. */
    private static List<String> filePath(Fields file, boolean padding, long length) throws MetainfoException {
        Optional<List<String>> utf8 = file.get("path.utf-8").flatMap(V1Files::strictUtf8Path);
        List<String> path;
        if (utf8.isPresent()) {
            path = utf8.get();
        } else if (padding && file.get("path").isEmpty()) { // BEP 47 lets padding files omit it
            path = List.of(".pad", Long.toString(length));
        } else {
            path = new ArrayList<>();
            for (BValue component : file.requireList("path").values()) {
                if (!(component instanceof BString string)) {
                    throw new MetainfoException("'" + file.where() + "path' holds a component that is not a string");
                }
                path.add(string.text());
            }
        }
        if (path.size() > SafePath.MAX_COMPONENTS) {
            throw new MetainfoException("'" + file.where() + "path' is deeper than " + SafePath.MAX_COMPONENTS
                    + " components");
        }
        return path;
    }

    private static Optional<List<String>> strictUtf8Path(BValue value) {
        if (!(value instanceof BList list)) {
            return Optional.empty();
        }
        List<String> path = new ArrayList<>(list.values().size());
        for (BValue component : list.values()) {
            Optional<String> text = Fields.strictUtf8(component);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            path.add(text.get());
        }
        return Optional.of(path);
    }
}
