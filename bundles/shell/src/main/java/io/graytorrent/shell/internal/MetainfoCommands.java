package io.graytorrent.shell.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoException;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.TorrentCreator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;

/** {@code bt:info} and {@code bt:create}: reading and making .torrent files. Needs no engine. */
@Component(service = MetainfoCommands.class, property = {
    "osgi.command.scope=bt",
    "osgi.command.function=info",
    "osgi.command.function=create"
})
public final class MetainfoCommands {
    /** No real .torrent is larger; refuse before reading a huge file into memory. */
    static final long MAX_TORRENT_FILE_BYTES = 32L << 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final MetainfoParser parser = new MetainfoParser();

    @Descriptor("show what a .torrent file holds: info [--json] FILE.torrent")
    public String info(CommandSession session, @Descriptor("[--json] FILE.torrent") String... args)
            throws IOException, MetainfoException {
        Arguments arguments = new Arguments(args, Set.of("--json"), Map.of());
        Path file = Paths.resolve(session, arguments.positionals(1, "info [--json] FILE.torrent").get(0));
        Metainfo metainfo = parser.parse(readTorrentFile(file));
        return arguments.flag("--json") ? JSON.writeValueAsString(TorrentDescription.asMap(metainfo))
                : TorrentDescription.asText(metainfo);
    }

    @Descriptor("make a v1 torrent: create PATH -t URL [-t URL]... [--piece-size auto|N] [--private] "
            + "[--comment C] [--web-seed URL] [--force] -o OUT.torrent")
    public String create(CommandSession session, @Descriptor("PATH [options] -o OUT.torrent") String... args)
            throws IOException, MetainfoException {
        String usage = "create PATH -t URL [-t URL]... [--piece-size auto|N] [--private] [--comment C] "
                + "[--web-seed URL] [--force] -o OUT.torrent";
        Arguments arguments = new Arguments(args, Set.of("--private", "--force"), Map.of(
                "-t", "--tracker", "--tracker", "--tracker",
                "--piece-size", "--piece-size", "--comment", "--comment",
                "--web-seed", "--web-seed", "-o", "--output", "--output", "--output"));
        Path source = Paths.resolve(session, arguments.positionals(1, usage).get(0));
        String output = arguments.single("--output", null);
        if (output == null) {
            throw new IllegalArgumentException("usage: " + usage + " (-o is required)");
        }
        Path target = Paths.resolve(session, output);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !arguments.flag("--force")) {
            throw new IllegalArgumentException(target + " exists (add --force to replace it)");
        }
        String pieceSize = arguments.single("--piece-size", "auto");
        TorrentCreator creator = TorrentCreator.forPath(source)
                .pieceLength(pieceSize.equals("auto") ? 0 : Math.toIntExact(Sizes.parse(pieceSize)))
                .privateTorrent(arguments.flag("--private"));
        arguments.all("--tracker").forEach(creator::tracker);
        arguments.all("--web-seed").forEach(creator::webSeed);
        String comment = arguments.single("--comment", null);
        if (comment != null) {
            creator.comment(comment);
        }
        ProgressBar bar = new ProgressBar(System.err, "hashing", Boolean.TRUE.equals(session.get("gray.tty")));
        byte[] torrent = creator.progress(bar::update).create();
        Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), ".gray-create", ".tmp");
        try {
            Files.write(temp, torrent, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        Metainfo made = parser.parse(torrent);
        return "created " + target + "\n" + TorrentDescription.asText(made);
    }

    private static byte[] readTorrentFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("not a file: " + file);
        }
        long size = Files.size(file);
        if (size > MAX_TORRENT_FILE_BYTES) {
            throw new IOException(file + " is " + Sizes.format(size) + ", larger than any .torrent file");
        }
        return Files.readAllBytes(file);
    }

    /** Text and JSON views of a torrent, for humans and for programs. */
    static final class TorrentDescription {
        private TorrentDescription() {
        }

        static String asText(Metainfo m) {
            StringBuilder text = new StringBuilder();
            line(text, "name", m.name());
            line(text, "infohash", m.infoHash().toHex());
            line(text, "size", Sizes.format(m.totalLength()) + " (" + m.totalLength() + " bytes)");
            line(text, "pieces", m.pieceCount() + " x " + Sizes.format(m.pieceLength()));
            line(text, "private", m.isPrivate() ? "yes" : "no");
            m.creationDate().ifPresent(date -> line(text, "created", date.toString()));
            m.createdBy().ifPresent(by -> line(text, "created by", by));
            m.comment().ifPresent(comment -> line(text, "comment", comment));
            text.append("trackers:");
            if (m.trackerTiers().isEmpty()) {
                text.append(" none");
            }
            text.append('\n');
            for (int tier = 0; tier < m.trackerTiers().size(); tier++) {
                text.append("  tier ").append(tier + 1).append(": ")
                        .append(String.join(", ", m.trackerTiers().get(tier))).append('\n');
            }
            if (!m.webSeeds().isEmpty()) {
                text.append("web seeds:\n");
                m.webSeeds().forEach(url -> text.append("  ").append(url).append('\n'));
            }
            List<FileEntry> files = m.files().stream().filter(f -> !f.isPadding()).toList();
            text.append("files (").append(files.size()).append("):\n");
            for (FileEntry file : files) {
                text.append(String.format("  %10s  %s%n", Sizes.format(file.length()), file.displayPath()));
            }
            return text.toString().stripTrailing();
        }

        private static void line(StringBuilder text, String label, String value) {
            text.append(String.format("%-11s %s%n", label + ":", value));
        }

        static Map<String, Object> asMap(Metainfo m) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("name", m.name());
            map.put("infohash", m.infoHash().toHex());
            map.put("totalSize", m.totalLength());
            map.put("pieceLength", m.pieceLength());
            map.put("pieceCount", m.pieceCount());
            map.put("private", m.isPrivate());
            map.put("creationDate", m.creationDate().map(Object::toString).orElse(null));
            map.put("createdBy", m.createdBy().orElse(null));
            map.put("comment", m.comment().orElse(null));
            map.put("trackerTiers", m.trackerTiers());
            map.put("webSeeds", m.webSeeds());
            map.put("files", m.files().stream().map(f -> {
                Map<String, Object> file = new LinkedHashMap<>();
                file.put("path", f.displayPath());
                file.put("size", f.length());
                file.put("padding", f.isPadding());
                file.put("attributes", f.attributes());
                return file;
            }).toList());
            return map;
        }
    }
}
