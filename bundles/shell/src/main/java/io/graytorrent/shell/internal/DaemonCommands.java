package io.graytorrent.shell.internal;

import io.graytorrent.api.SeedingGoals;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentOptions;
import io.graytorrent.api.TorrentService;
import io.graytorrent.api.TorrentStatus;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** What people running a server reach for: moving a torrent's data and its seeding goals. */
@Component(service = DaemonCommands.class, property = {
    "osgi.command.scope=bt",
    "osgi.command.function=mv",
    "osgi.command.function=seed"
})
public final class DaemonCommands {
    static final String SEED_USAGE = "seed REF|--global [--ratio R|none|global] [--time DURATION|none|global] "
            + "[--idle DURATION|none|global] [--action stop|remove|global]";

    @Reference
    private TorrentService torrents;

    @Descriptor("move a torrent's data to another directory while it runs (it keeps its id and progress): mv REF DIR")
    public String mv(CommandSession session, @Descriptor("REF DIR") String... args)
            throws TorrentException, InterruptedException {
        Arguments a = new Arguments(args, Set.of(), Map.of());
        var given = a.positionals(2, "mv REF DIR");
        Path directory = Paths.resolve(session, given.get(1)).toAbsolutePath().normalize();
        TorrentStatus moved;
        try {
            moved = torrents.move(given.get(0), directory).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TorrentException failed) {
                throw failed;
            }
            throw new TorrentException(TorrentException.Kind.FAILED, String.valueOf(e.getCause().getMessage()), e.getCause());
        }
        return "moved " + moved.id() + ": " + moved.name() + " now in " + moved.savePath();
    }

    @Descriptor("show or set a torrent's seeding goals, or the global ones: " + SEED_USAGE
            + " (DURATION like 90s, 30m, 2h; none = no limit; global = follow the global goal)")
    public String seed(@Descriptor("REF|--global [options]") String... args) throws TorrentException {
        Arguments a = new Arguments(args, Set.of("--global"), Map.of("--ratio", "--ratio", "--time", "--time",
                "--idle", "--idle", "--action", "--action"));
        boolean global = a.flag("--global");
        String ref = global ? null : a.positionals(1, SEED_USAGE).get(0);
        if (global) {
            a.positionals(0, SEED_USAGE);
        }
        SeedingGoals before = global ? torrents.seedingGoals() : torrents.options(ref).seedingGoals();
        SeedingGoals after = new SeedingGoals(ratio(a.single("--ratio", null), before.ratioLimit(), global),
                seconds(a.single("--time", null), before.seedingTimeLimit(), global),
                seconds(a.single("--idle", null), before.idleLimit(), global),
                action(a.single("--action", null), before.action(), global));
        if (global) {
            SeedingGoals now = after.equals(before) ? before : torrents.updateSeedingGoals(after);
            return "global seeding goals: " + describe(now);
        }
        if (!after.equals(before)) {
            torrents.updateOptions(ref, torrents.options(ref).withSeedingGoals(after));
        }
        return "seeding goals of " + ref + ": " + describe(after) + "\nin force: " + describe(after.over(torrents.seedingGoals()));
    }

    private static double ratio(String text, double unchanged, boolean global) {
        if (text == null) {
            return unchanged;
        }
        String keyword = keyword(text, global);
        if (keyword != null) {
            return keyword.equals("none") ? SeedingGoals.NONE : SeedingGoals.GLOBAL;
        }
        try {
            double ratio = Double.parseDouble(text);
            if (ratio > 0 && ratio <= SeedingGoals.MAX_RATIO) {
                return ratio;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--ratio is a positive number like 1.5, none" + (global ? "" : " or global")
                + ", not " + text);
    }

    private static long seconds(String text, long unchanged, boolean global) {
        if (text == null) {
            return unchanged;
        }
        String keyword = keyword(text, global);
        if (keyword != null) {
            return keyword.equals("none") ? SeedingGoals.NONE : SeedingGoals.GLOBAL;
        }
        return Durations.parse(text).toSeconds();
    }

    private static SeedingGoals.Action action(String text, SeedingGoals.Action unchanged, boolean global) {
        if (text == null) {
            return unchanged;
        }
        if (!global && text.equalsIgnoreCase("global")) {
            return null;
        }
        return SeedingGoals.Action.parse(text);
    }

    /** "none" or "global" (the latter only for one torrent), else null. */
    private static String keyword(String text, boolean global) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals("none") || (!global && lower.equals("global"))) {
            return lower;
        }
        if (lower.equals("global")) {
            throw new IllegalArgumentException("a global goal cannot follow the global goal");
        }
        return null;
    }

    /** "ratio 2.00, time none, idle 30m00s; then stop". */
    static String describe(SeedingGoals goals) {
        return "ratio " + (goals.ratioLimit() == SeedingGoals.GLOBAL ? "global"
                        : goals.ratioLimit() == 0 ? "none" : String.format(Locale.ROOT, "%.2f", goals.ratioLimit()))
                + ", time " + seconds(goals.seedingTimeLimit()) + ", idle " + seconds(goals.idleLimit())
                + "; then " + (goals.action() == null ? "as global" : goals.action().toString());
    }

    private static String seconds(long seconds) {
        return seconds == SeedingGoals.GLOBAL ? "global" : seconds == 0 ? "none" : Durations.format(seconds);
    }

    /** "sequential, first and last pieces first", or "rarest first". */
    static String order(TorrentOptions options) {
        if (!options.sequential() && !options.firstLastPiecesFirst()) {
            return "rarest first";
        }
        return (options.sequential() ? "sequential" : "rarest first")
                + (options.firstLastPiecesFirst() ? ", first and last pieces first" : "");
    }
}
