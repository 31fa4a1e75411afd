package io.graytorrent.shell.internal;

import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentLabels;
import io.graytorrent.api.SeedingStatus;
import io.graytorrent.api.TorrentOptions;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.json.OptionsJson;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.metainfo.MagnetException;
import io.graytorrent.metainfo.MagnetLink;
import io.graytorrent.metainfo.MagnetParser;
import io.graytorrent.metainfo.MetainfoException;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.ParsedTorrent;
import io.graytorrent.metainfo.TorrentCreator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code bt:info} and {@code bt:create}: reading .torrent files and magnet links, making .torrent files. Needs no engine. */
@Component(service = MetainfoCommands.class, property = {
    "osgi.command.scope=bt",
    "osgi.command.function=info",
    "osgi.command.function=create"
})
public final class MetainfoCommands {
    private final MetainfoParser parser = new MetainfoParser();
    private final MagnetParser magnetParser = new MagnetParser();

    /** Present in a server: then {@code info} also describes managed torrents. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile TorrentService torrents;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile TorrentLabels labels;

    @Descriptor("show what a .torrent file or magnet link holds, or a managed torrent's status: "
            + "info [--json] FILE.torrent|MAGNET|REF")
    public String info(CommandSession session, @Descriptor("[--json] FILE.torrent|MAGNET|REF") String... args)
            throws IOException, MetainfoException, MagnetException, TorrentException {
        Arguments arguments = new Arguments(args, Set.of("--json"), Map.of());
        String target = arguments.positionals(1, "info [--json] FILE.torrent|MAGNET|REF").get(0);
        if (Magnets.isMagnet(target)) {
            MagnetLink link = magnetParser.parse(target);
            return arguments.flag("--json") ? JsonOutput.write(Magnets.asMap(link)) : Magnets.asText(link);
        }
        Path file = Paths.resolve(session, target);
        TorrentService service = torrents;
        if (!Files.exists(file) && service != null) {
            TorrentStatus status = service.status(target);
            LabelViews views = new LabelViews(labels);
            TorrentOptions options = service.options(target);
            SeedingStatus seeding = service.seeding(target);
            if (arguments.flag("--json")) {
                Map<String, Object> json = new java.util.LinkedHashMap<>(views.json(status));
                json.put("options", OptionsJson.options(options));
                json.put("seeding", OptionsJson.seeding(seeding));
                return JsonOutput.write(json);
            }
            return TorrentViews.details(status, views.of(status.id()), options, seeding);
        }
        ParsedTorrent torrent = parser.read(TorrentFileReader.read(file));
        return arguments.flag("--json") ? JsonOutput.write(MetainfoViews.asMap(torrent)) : MetainfoViews.asText(torrent);
    }

    @Descriptor("make a torrent (v1 unless --v2 or --hybrid): create PATH -t URL [-t URL]... [--v2|--hybrid] "
            + "[--piece-size auto|N] [--private] [--comment C] [--web-seed URL] [--http-seed URL] [--force] -o OUT.torrent")
    public String create(CommandSession session, @Descriptor("PATH [options] -o OUT.torrent") String... args)
            throws IOException, MetainfoException {
        String usage = "create PATH -t URL [-t URL]... [--v2|--hybrid] [--piece-size auto|N] [--private] "
                + "[--comment C] [--web-seed URL] [--http-seed URL] [--force] -o OUT.torrent";
        Arguments arguments = new Arguments(args, Set.of("--private", "--force", "--v2", "--hybrid"), Map.of(
                "-t", "--tracker", "--tracker", "--tracker",
                "--piece-size", "--piece-size", "--comment", "--comment",
                "--web-seed", "--web-seed", "--http-seed", "--http-seed", "-o", "--output", "--output", "--output"));
        Path source = Paths.resolve(session, arguments.positionals(1, usage).get(0));
        String output = arguments.single("--output", null);
        if (output == null) {
            throw new IllegalArgumentException("usage: " + usage + " (-o is required)");
        }
        Path target = Paths.resolve(session, output);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !arguments.flag("--force")) {
            throw new IllegalArgumentException(target + " exists (add --force to replace it)");
        }
        if (arguments.flag("--v2") && arguments.flag("--hybrid")) {
            throw new IllegalArgumentException("usage: " + usage + " (--v2 and --hybrid exclude each other)");
        }
        TorrentCreator.Format format = arguments.flag("--v2") ? TorrentCreator.Format.V2
                : arguments.flag("--hybrid") ? TorrentCreator.Format.HYBRID : TorrentCreator.Format.V1;
        String pieceSize = arguments.single("--piece-size", "auto");
        TorrentCreator creator = TorrentCreator.forPath(source)
                .pieceLength(pieceSize.equals("auto") ? 0 : Math.toIntExact(Sizes.parse(pieceSize)))
                .format(format).privateTorrent(arguments.flag("--private"));
        arguments.all("--tracker").forEach(creator::tracker);
        arguments.all("--web-seed").forEach(creator::webSeed);
        arguments.all("--http-seed").forEach(creator::httpSeed);
        String comment = arguments.single("--comment", null);
        if (comment != null) {
            creator.comment(comment);
        }
        ProgressBar bar = new ProgressBar(System.err, "hashing", ProgressBar.onTerminal(session));
        byte[] torrent = creator.progress(bar::update).create();
        Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), ".gray-create", ".tmp");
        try {
            Files.write(temp, torrent, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return "created " + target + "\n" + MetainfoViews.asText(parser.read(torrent));
    }
}
