package io.graytorrent.testkit;

import java.util.Random;

/**
 * The random source of a test that draws at random: it prints its seed, and a run that failed is
 * replayed with {@code -Dtest.seed=<that seed>} (surefire passes -D properties to the tests).
 */
public final class Seeds {
    /** The system property a seed is taken back from. */
    public static final String PROPERTY = "test.seed";

    private Seeds() {
    }

    /** A {@link Random} seeded from {@code -Dtest.seed}, else afresh; says which on stdout. */
    public static Random random(Class<?> test) {
        String given = System.getProperty(PROPERTY);
        long seed = given != null && !given.isBlank() ? Long.parseLong(given.trim()) : new Random().nextLong();
        System.out.println(test.getSimpleName() + " draws from seed " + seed + " (replay: -D" + PROPERTY + "=" + seed + ")");
        return new Random(seed);
    }
}
