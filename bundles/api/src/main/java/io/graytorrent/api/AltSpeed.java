package io.graytorrent.api;

import java.time.DayOfWeek;
import java.time.LocalTime;

/**
 * The alternative ("turtle") speed limits: while on (switched on, or inside its schedule) they replace
 * the global download and upload limits. Rates are bytes per second, 0 meaning unlimited.
 *
 * @param downloadRateLimit download limit across all torrents while on
 * @param uploadRateLimit   upload limit across all torrents while on
 * @param enabled           switched on by hand, whatever the schedule says
 * @param schedule          when they are on by themselves; {@link SpeedSchedule#NONE} for never
 */
public record AltSpeed(long downloadRateLimit, long uploadRateLimit, boolean enabled, SpeedSchedule schedule) {
    public static final AltSpeed OFF = new AltSpeed(0, 0, false, SpeedSchedule.NONE);

    public AltSpeed {
        SessionSettings.checkRate("altDownloadRateLimit", downloadRateLimit);
        SessionSettings.checkRate("altUploadRateLimit", uploadRateLimit);
        if (schedule == null) {
            throw new IllegalArgumentException("altSpeedSchedule must be given (empty for none)");
        }
    }

    /** Whether the alternative limits apply at this time of the week. */
    public boolean activeAt(DayOfWeek day, LocalTime time) {
        return enabled || schedule.contains(day, time);
    }
}
