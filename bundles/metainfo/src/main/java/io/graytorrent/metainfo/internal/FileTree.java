package io.graytorrent.metainfo.internal;

import io.graytorrent.metainfo.MetainfoException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The directory tree a torrent's files make, built to find two files that would land on the same
 * place: the same path twice, or one file's path being a directory of another. Memory grows with
 * the number of path components, never with their prefixes.
 */
public final class FileTree {
    private final Node root = new Node();

    /** Adds a file; throws when it collides with one added before. Paths compare case-sensitively. */
    public void add(List<String> path) throws MetainfoException {
        Node node = root;
        for (int i = 0; i < path.size(); i++) {
            if (node.isFile) {
                throw collision(path.subList(0, i), "is both a file and a directory");
            }
            node = node.child(path.get(i));
        }
        if (node.isFile) {
            throw collision(path, "appears twice");
        }
        if (node.children != null) {
            throw collision(path, "is both a file and a directory");
        }
        node.isFile = true;
    }

    private static MetainfoException collision(List<String> path, String problem) {
        return new MetainfoException("file path '" + SafePath.printable(String.join("/", path)) + "' " + problem);
    }

    private static final class Node {
        Map<String, Node> children; // null for a leaf: most nodes are files
        boolean isFile;

        Node child(String name) {
            if (children == null) {
                children = new HashMap<>();
            }
            return children.computeIfAbsent(name, n -> new Node());
        }
    }
}
