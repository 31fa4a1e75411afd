package io.graytorrent.metainfo.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The directory tree a torrent's files make, used to give every file a place of its own: a path
 * taken before (the same path twice, or a file where another file's directory goes) gets a
 * numbered name ({@code a.txt} → {@code a.1.txt}), as mainstream clients do. Memory grows with the
 * number of path components, never with their prefixes; each collision costs amortised O(1).
 * Paths compare case-sensitively, as on the file systems we write to.
 */
public final class FileTree {
    private final Node root = new Node();

    /** Places a file at {@code path}, or at a renamed path when that is taken; returns where it went. */
    public List<String> place(List<String> path) {
        List<String> placed = new ArrayList<>(path.size());
        Node node = root;
        for (int i = 0; i < path.size(); i++) {
            boolean last = i == path.size() - 1;
            String name = path.get(i);
            Node child = node.child(name);
            if (child != null && (last || child.isFile)) { // a file needs a free name, a directory a non-file
                name = node.freeName(name, last);
            }
            placed.add(name);
            node = node.childOrNew(name);
        }
        node.isFile = true;
        return placed;
    }

    private static final class Node {
        Map<String, Node> children; // null for a leaf: most nodes are files
        Map<String, Integer> lastSuffix; // per wanted name, so repeated collisions do not rescan
        boolean isFile;

        Node child(String name) {
            return children == null ? null : children.get(name);
        }

        Node childOrNew(String name) {
            if (children == null) {
                children = new HashMap<>();
            }
            return children.computeIfAbsent(name, n -> new Node());
        }

        /** {@code name} numbered so that it is absent (for a file) or absent or a directory. */
        String freeName(String name, boolean forFile) {
            if (lastSuffix == null) {
                lastSuffix = new HashMap<>();
            }
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            String extension = dot > 0 ? name.substring(dot) : "";
            int suffix = lastSuffix.getOrDefault(name, 0);
            while (true) {
                String candidate = stem + "." + ++suffix + extension;
                Node taken = child(candidate);
                if (taken == null || !forFile && !taken.isFile) {
                    lastSuffix.put(name, forFile ? suffix : suffix - 1);
                    return candidate;
                }
            }
        }
    }
}
