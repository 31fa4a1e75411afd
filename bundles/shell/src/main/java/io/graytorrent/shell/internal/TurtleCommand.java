package io.graytorrent.shell.internal;

import io.graytorrent.api.AltSpeed;
import io.graytorrent.api.SessionSettings;
import io.graytorrent.api.SpeedSchedule;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentService;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Set;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code bt:turtle}: the alternative ("turtle") speed limits: shows them, switches them on or off,
 * sets their rates and their weekly schedule. Kept as the API's settings are (across restarts, until
 * the .cfg's value for the key changes).
 */
@Component(service = TurtleCommand.class, property = {"osgi.command.scope=bt", "osgi.command.function=turtle"})
public final class TurtleCommand {
    static final String USAGE = "turtle [on|off] [--down RATE] [--up RATE] [--schedule 'DAYS HH:MM-HH:MM;...'|'']";

    @Reference
    private TorrentService torrents;

    @Descriptor("the alternative (turtle) speed limits: " + USAGE)
    public String turtle(@Descriptor("[on|off] [--down RATE] [--up RATE] [--schedule S]") String... args) throws TorrentException {
        Arguments a = new Arguments(args, Set.of(), Map.of("--down", "--down", "--up", "--up", "--schedule", "--schedule"));
        if (a.positionalsAtLeast(0, USAGE).size() > 1) {
            throw new IllegalArgumentException("usage: " + USAGE);
        }
        SessionSettings now = torrents.sessionSettings();
        AltSpeed alt = now.altSpeed();
        String onOff = a.positionalsAtLeast(0, USAGE).isEmpty() ? null : a.positionalsAtLeast(0, USAGE).get(0);
        if (onOff != null && !onOff.equals("on") && !onOff.equals("off")) {
            throw new IllegalArgumentException("on or off, not \"" + onOff + "\"; usage: " + USAGE);
        }
        String down = a.single("--down", null);
        String up = a.single("--up", null);
        String schedule = a.single("--schedule", null);
        if (onOff != null || down != null || up != null || schedule != null) {
            AltSpeed changed = new AltSpeed(down == null ? alt.downloadRateLimit() : Sizes.parse(down),
                    up == null ? alt.uploadRateLimit() : Sizes.parse(up),
                    onOff == null ? alt.enabled() : onOff.equals("on"),
                    schedule == null ? alt.schedule() : SpeedSchedule.parse(schedule));
            now = torrents.updateSessionSettings(new SessionSettings(now.downloadRateLimit(), now.uploadRateLimit(),
                    now.maxConnections(), now.maxConnectionsPerTorrent(), now.defaultSaveDirectory(), changed));
        }
        return view(now, ZonedDateTime.now());
    }

    static String view(SessionSettings settings, ZonedDateTime now) {
        AltSpeed alt = settings.altSpeed();
        boolean active = alt.activeAt(now.getDayOfWeek(), now.toLocalTime());
        return new LabelledLines()
                .add("turtle", (active ? "on" : "off") + (alt.enabled() ? " (switched on)" : alt.schedule().isEmpty() ? ""
                        : active ? " (scheduled)" : " (outside its schedule)"))
                .add("limits", "down " + limit(alt.downloadRateLimit()) + ", up " + limit(alt.uploadRateLimit()))
                .add("normal", "down " + limit(settings.downloadRateLimit()) + ", up " + limit(settings.uploadRateLimit()))
                .add("schedule", alt.schedule().isEmpty() ? "none" : alt.schedule().toString())
                .toString();
    }

    private static String limit(long rate) {
        return rate == 0 ? "unlimited" : Sizes.rate(rate);
    }
}
