package io.graytorrent.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * The {@code slow} tag. Runs our own code only but takes long: engines in child JVMs, kills and
 * restarts, many-second timers, and the fuzz targets' regression runs (Jazzer instruments every
 * class they load: half a minute or more each).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("slow")
public @interface Slow {
}
