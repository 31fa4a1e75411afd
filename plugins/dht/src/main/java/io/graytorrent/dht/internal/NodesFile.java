package io.graytorrent.dht.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Our node id and the good nodes of our routing tables, kept in {@code GRAY_HOME/state/dht-nodes}
 * so that the next start joins through them and needs no router. A text file, one node a line:
 * {@code self ID}, then {@code ID IP PORT}. Read leniently and bounded: lines that do not parse
 * are skipped, a file larger than any we write is ignored.
 */
final class NodesFile {
    static final String NAME = "dht-nodes";
    /** Two full tables of 160 buckets are far less; anything larger was not written by us. */
    private static final long MAX_BYTES = 256 * 1024;
    private static final int MAX_NODES = 2 * 160 * RoutingTable.K;

    record Saved(NodeId id, List<NodeInfo> nodes) {
    }

    private NodesFile() {
    }

    /** Writes atomically: a reader never sees half a file. */
    static void save(Path file, NodeId id, List<NodeInfo> nodes) throws IOException {
        StringBuilder text = new StringBuilder("# graytorrent DHT: our node id, then good nodes as ID IP PORT\n");
        text.append("self ").append(id).append('\n');
        for (NodeInfo node : nodes.subList(0, Math.min(nodes.size(), MAX_NODES))) {
            text.append(node.id()).append(' ').append(node.address().getAddress().getHostAddress()).append(' ')
                    .append(node.address().getPort()).append('\n');
        }
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** What was saved, if the file exists, is not oversized and names our id. */
    static Optional<Saved> load(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
            return Optional.empty();
        }
        NodeId self = null;
        List<NodeInfo> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] fields = line.trim().split(" ");
            if (fields.length == 2 && fields[0].equals("self")) {
                self = id(fields[1]);
            } else if (fields.length == 3 && nodes.size() < MAX_NODES) {
                NodeInfo node = node(fields);
                if (node != null) {
                    nodes.add(node);
                }
            }
        }
        return self == null ? Optional.empty() : Optional.of(new Saved(self, nodes));
    }

    private static NodeId id(String hex) {
        if (hex.length() != NodeId.LENGTH * 2) {
            return null;
        }
        try {
            return NodeId.of(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A node of a line, or null; the address must be a literal, so reading never resolves a name. */
    private static NodeInfo node(String[] fields) {
        NodeId id = id(fields[0]);
        if (id == null || !fields[1].matches("[0-9.]{7,15}|[0-9a-fA-F.]*:[0-9a-fA-F:.]{1,44}")) {
            return null;
        }
        try {
            int port = Integer.parseInt(fields[2]);
            if (port < 1 || port > 65535) {
                return null;
            }
            return new NodeInfo(id, new InetSocketAddress(InetAddress.getByName(fields[1]), port));
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }
}
