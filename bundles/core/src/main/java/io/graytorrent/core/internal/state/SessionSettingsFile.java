package io.graytorrent.core.internal.state;

import io.graytorrent.storage.AtomicFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global limits set through the API ({@code TorrentService.updateSessionSettings}), kept in the
 * state directory as {@code key=value} lines, each with {@code key.cfg=value}: the configuration's
 * value it overrode, so that a later change of the configuration (even while the server was stopped)
 * is recognised. Written atomically. The framework's Configuration Admin store is wiped at every start,
 * so it cannot keep them.
 */
public final class SessionSettingsFile {
    private static final Logger LOG = LoggerFactory.getLogger(SessionSettingsFile.class);
    private static final String NAME = "session-settings";
    private static final String OVERRODE = ".cfg";

    /** A value set through the API, and the configuration's value for its key then (null: unknown, from an older file). */
    public record Override(String value, String overrode) {
    }

    private final Path file;

    public SessionSettingsFile(Path stateDirectory) {
        this.file = stateDirectory.resolve(NAME);
    }

    /** The saved overrides by key; empty when none were saved or the file cannot be read (logged). */
    public Map<String, Override> load() {
        Properties saved = new Properties();
        try {
            saved.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("ignoring unreadable {}: {}", file, e.toString());
            return Map.of();
        }
        Map<String, Override> overrides = new TreeMap<>();
        for (String key : saved.stringPropertyNames()) {
            if (!key.endsWith(OVERRODE)) {
                overrides.put(key, new Override(saved.getProperty(key), saved.getProperty(key + OVERRODE)));
            }
        }
        return overrides;
    }

    public void save(Map<String, Override> overrides) throws IOException {
        Properties saved = new Properties();
        overrides.forEach((key, override) -> {
            saved.setProperty(key, override.value());
            if (override.overrode() != null) {
                saved.setProperty(key + OVERRODE, override.overrode());
            }
        });
        StringWriter text = new StringWriter();
        saved.store(text, "set through the API; each key wins over io.graytorrent.core's configuration until"
                + " the configuration's value (key.cfg) changes");
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
