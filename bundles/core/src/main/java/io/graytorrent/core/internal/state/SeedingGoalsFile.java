package io.graytorrent.core.internal.state;

import io.graytorrent.api.SeedingGoals;
import io.graytorrent.storage.AtomicFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global seeding goals set through the API or {@code gray seed --global}, {@code state/seeding-goals}
 * as {@code key=value} lines ({@code ratio}, {@code time}, {@code idle} in seconds, {@code action}); written
 * atomically. Absent or unreadable (logged): {@link SeedingGoals#UNLIMITED}.
 */
public final class SeedingGoalsFile {
    private static final Logger LOG = LoggerFactory.getLogger(SeedingGoalsFile.class);

    private final Path file;

    public SeedingGoalsFile(Path stateDirectory) {
        this.file = stateDirectory.resolve("seeding-goals");
    }

    public SeedingGoals load() {
        Properties saved = new Properties();
        try {
            saved.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            SeedingGoals goals = new SeedingGoals(Double.parseDouble(saved.getProperty("ratio", "0")),
                    Long.parseLong(saved.getProperty("time", "0")), Long.parseLong(saved.getProperty("idle", "0")),
                    SeedingGoals.Action.parse(saved.getProperty("action", "stop")));
            if (!goals.isComplete()) {
                throw new IllegalArgumentException("a global goal cannot follow itself (-1)");
            }
            return goals;
        } catch (NoSuchFileException e) {
            return SeedingGoals.UNLIMITED;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("ignoring unreadable {}: {}", file, e.toString());
            return SeedingGoals.UNLIMITED;
        }
    }

    public void save(SeedingGoals goals) throws IOException {
        Properties saved = new Properties();
        saved.setProperty("ratio", Double.toString(goals.ratioLimit()));
        saved.setProperty("time", Long.toString(goals.seedingTimeLimit()));
        saved.setProperty("idle", Long.toString(goals.idleLimit()));
        saved.setProperty("action", goals.action().toString());
        StringWriter text = new StringWriter();
        saved.store(text, "global seeding goals (0 = no limit); time and idle in seconds");
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
