package io.graytorrent.fuzz;

/**
 * How long each {@code @FuzzTest} fuzzes under {@code -Pfuzz}: Jazzer reads the duration only from
 * the annotation, so Maven writes {@code -Dfuzz.seconds} (default 300) into this constant.
 */
public final class FuzzBudget {
    public static final String MAX_DURATION = "${fuzz.seconds}s";

    private FuzzBudget() {
    }
}
