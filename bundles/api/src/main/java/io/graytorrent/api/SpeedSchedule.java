package io.graytorrent.api;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the alternative ("turtle") speed limits apply by themselves: rules separated by {@code ;},
 * each {@code DAYS HH:MM-HH:MM} in the server's local time, e.g. {@code mon-fri 09:00-17:00; sat,sun
 * 00:00-24:00}. DAYS is {@code daily}, a day ({@code mon} … {@code sun}), a range ({@code mon-fri})
 * or a comma-separated list of these. A rule whose end is not after its start runs past midnight into
 * the next day ({@code daily 23:00-06:00}). The empty text is no schedule.
 */
public final class SpeedSchedule {
    public static final SpeedSchedule NONE = new SpeedSchedule(List.of(), "");
    public static final int MAX_LENGTH = 1000;
    private static final Pattern RULE = Pattern.compile("([a-z,-]+)\\s+(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private record Rule(Set<DayOfWeek> days, int fromMinute, int toMinute) {
        boolean contains(DayOfWeek day, int minute) {
            if (fromMinute < toMinute) {
                return days.contains(day) && minute >= fromMinute && minute < toMinute;
            }
            return (days.contains(day) && minute >= fromMinute) || (days.contains(day.minus(1)) && minute < toMinute);
        }
    }

    private final List<Rule> rules;
    private final String text;

    private SpeedSchedule(List<Rule> rules, String text) {
        this.rules = rules;
        this.text = text;
    }

    /**
     * Reads a schedule; IllegalArgumentException saying what is wrong with it.
     */
    public static SpeedSchedule parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a schedule is at most " + MAX_LENGTH + " characters");
        }
        List<Rule> rules = new ArrayList<>();
        List<String> normal = new ArrayList<>();
        for (String part : text.toLowerCase(Locale.ROOT).split(";")) {
            String rule = part.strip();
            if (rule.isEmpty()) {
                continue;
            }
            Matcher matcher = RULE.matcher(rule);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("\"" + abbreviate(rule) + "\" is not DAYS HH:MM-HH:MM (e.g. mon-fri 09:00-17:00)");
            }
            int from = minute(matcher.group(2), matcher.group(3), false);
            int to = minute(matcher.group(4), matcher.group(5), true);
            if (from == to) {
                throw new IllegalArgumentException("\"" + abbreviate(rule) + "\" starts and ends at the same time");
            }
            rules.add(new Rule(days(matcher.group(1)), from, to));
            normal.add(matcher.group(1) + " " + clock(from) + "-" + clock(to));
        }
        return rules.isEmpty() ? NONE : new SpeedSchedule(List.copyOf(rules), String.join("; ", normal));
    }

    private static int minute(String hours, String minutes, boolean end) {
        int h = Integer.parseInt(hours);
        int m = Integer.parseInt(minutes);
        if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end))) {
            throw new IllegalArgumentException(hours + ":" + minutes + " is not a time of day (00:00 to 23:59, or 24:00 as an end)");
        }
        return h * 60 + m;
    }

    private static Set<DayOfWeek> days(String text) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : text.split(",")) {
            if (item.equals("daily")) {
                days.addAll(EnumSet.allOf(DayOfWeek.class));
                continue;
            }
            String[] range = item.split("-", -1);
            if (range.length > 2) {
                throw new IllegalArgumentException("\"" + abbreviate(item) + "\" is not a day or a range of days");
            }
            int first = day(range[0]);
            int last = range.length == 2 ? day(range[1]) : first;
            for (int d = first; ; d = (d + 1) % 7) {
                days.add(DayOfWeek.of(d + 1));
                if (d == last) {
                    break;
                }
            }
        }
        return days;
    }

    private static int day(String name) {
        int index = DAYS.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("\"" + abbreviate(name) + "\" is not a day: mon, tue, wed, thu, fri, sat, sun or daily");
        }
        return index;
    }

    private static String clock(int minute) {
        return String.format(Locale.ROOT, "%02d:%02d", minute / 60, minute % 60);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    /** Whether a rule covers this minute of this day. */
    public boolean contains(DayOfWeek day, LocalTime time) {
        int minute = time.getHour() * 60 + time.getMinute();
        return rules.stream().anyMatch(rule -> rule.contains(day, minute));
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The schedule as {@link #parse} reads it, normalised (lower case, one space, two-digit times). */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SpeedSchedule schedule && schedule.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
