package io.graytorrent.metainfo.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Lists the files under a directory for a new torrent, as libtorrent's {@code add_files} does
 * with canonical ordering: every regular file, hidden ones ({@code .name}) included, empty ones
 * included, ordered by path compared component by component as UTF-8 bytes. Unlike libtorrent's
 * default, symbolic links are skipped rather than followed, so a link cannot pull in data from
 * outside the directory; sockets, pipes and devices are skipped too.
 */
public final class SourceTree {
    private static final Comparator<List<String>> BY_COMPONENTS = SourceTree::compareComponents;

    private SourceTree() {
    }

    /** The files below {@code root} (a directory), in torrent order. */
    public static List<SourceFile> list(Path root) throws IOException {
        List<SourceFile> files = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile()) {
                    files.add(new SourceFile(components(root.relativize(file)), file, attributes.size()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(Comparator.comparing(SourceFile::path, BY_COMPONENTS));
        return files;
    }

    /** The one file {@code file} (not a directory) as a single-file torrent. */
    public static SourceFile single(Path file, String name) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new IOException(file + " is not a regular file");
        }
        return new SourceFile(List.of(name), file, attributes.size());
    }

    /** Checks that no path a reader would alter (see {@link SafePath}) is written into a torrent. */
    public static void checkSafe(Path file, List<String> path) throws IOException {
        List<String> safe = SafePath.sanitize(path);
        if (!safe.equals(path)) {
            throw new IOException("cannot share '" + file + "': readers would change its path '"
                    + SafePath.printable(String.join("/", path)) + "' to '" + String.join("/", safe) + "'");
        }
    }

    private static List<String> components(Path relative) {
        List<String> components = new ArrayList<>(relative.getNameCount());
        relative.forEach(component -> components.add(component.toString()));
        return components;
    }

    private static int compareComponents(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int order = Arrays.compareUnsigned(a.get(i).getBytes(StandardCharsets.UTF_8),
                    b.get(i).getBytes(StandardCharsets.UTF_8));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
