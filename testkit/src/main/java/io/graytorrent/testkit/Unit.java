package io.graytorrent.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * The {@code unit} tag. Fast and self-contained: no process, browser or real peer of another client, and
 * no waits on timers of seconds. The inner loop runs only these (README, Tests).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("unit")
public @interface Unit {
}
