package io.graytorrent.launcher;

/**
 * Points the logback bundle at the distribution's {@code conf/logback.xml} and tells it where to
 * write: {@code GRAY_HOME/logs/NAME.log}, rotated. Must run before the framework starts.
 */
final class Logging {
    /** Held so the level set on it is not lost when the logger is garbage collected. */
    private static final java.util.logging.Logger JUL_ROOT = java.util.logging.Logger.getLogger("");

    private Logging() {
    }

    static void configure(Distribution dist, GrayHome home, String name, boolean debug) {
        System.setProperty("logback.configurationFile", dist.logbackConfig().toString());
        System.setProperty("gray.log.dir", home.logs().toString());
        System.setProperty("gray.log.name", name);
        System.setProperty("gray.log.level", debug ? "DEBUG" : "INFO");
        // SPI Fly reports routine events through java.util.logging, whose handler is the console
        JUL_ROOT.setLevel(debug ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);
    }
}
