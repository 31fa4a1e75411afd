package io.graytorrent.api.util;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Keys of one configuration PID that the API may set too, under the project's rule: per key, the later
 * change wins. A value set through the API is kept in a file of the state directory ({@code key=value}
 * with {@code key.cfg=}the configuration's value it replaced) and holds across restarts until the
 * configuration's value for that key changes (while the server runs or while it is stopped); then the
 * configuration's new value wins and the API's is forgotten. Setting a key back to the configuration's
 * value forgets it too. A key saved without the value it replaced (a file of an older format) is taken to
 * have replaced the value configured at the first {@link #resolve}, so it holds until that changes. The component that owns the PID keeps one and passes its configured values through
 * {@link #resolve}. Framework-free (Configuration Admin's store is wiped at every start, so it cannot keep
 * them, and writing the API's values into a {@code .cfg} would lose the configuration's). Thread-safe.
 */
public final class LaterChangeWins {
    private static final Logger LOG = Logger.getLogger(LaterChangeWins.class.getName());
    private static final String OVERRODE = ".cfg";

    /** {@code overrode} null: not saved (an older file); the first {@link #resolve} fills it in. */
    private record Override(String value, String overrode) {
    }

    private final Path file;
    private final String pid;
    private Map<String, Override> overrides;

    /** {@code file}: where the API's values of {@code pid}'s keys are kept; read now (unreadable: none, logged). */
    public LaterChangeWins(Path file, String pid) {
        this.file = file;
        this.pid = pid;
        this.overrides = load();
    }

    /** The configuration changed (or was read at start): its changed keys win. Returns the values in force. */
    public synchronized Map<String, String> resolve(Map<String, String> configured) {
        Map<String, Override> kept = new TreeMap<>(overrides);
        kept.replaceAll((key, override) -> override.overrode() != null || !configured.containsKey(key) ? override
                : new Override(override.value(), configured.get(key)));
        kept.entrySet().removeIf(entry -> {
            boolean replaced = !configured.containsKey(entry.getKey())
                    || !entry.getValue().overrode().equals(configured.get(entry.getKey()));
            if (replaced) {
                LOG.info(() -> pid + " " + entry.getKey() + " is " + configured.get(entry.getKey())
                        + " again: its configuration changed since it was set to " + entry.getValue().value()
                        + " through the API");
            }
            return replaced;
        });
        if (!kept.equals(overrides)) {
            overrides = kept;
            try {
                save();
            } catch (IOException e) {
                LOG.warning(() -> "cannot save the settings set through the API in " + file + ": " + e);
            }
        }
        return inForce(configured);
    }

    /** The values the API sets ({@code wanted}, a subset of the keys), saved before they apply. Returns the values in force. */
    public synchronized Map<String, String> set(Map<String, String> configured, Map<String, String> wanted)
            throws IOException {
        Map<String, Override> updated = new TreeMap<>(overrides);
        wanted.forEach((key, value) -> {
            if (!configured.containsKey(key)) {
                throw new IllegalArgumentException(pid + " has no key " + key);
            }
            if (value.equals(configured.get(key))) {
                updated.remove(key);
            } else {
                updated.put(key, new Override(value, configured.get(key)));
            }
        });
        if (!updated.equals(overrides)) {
            Map<String, Override> before = overrides;
            overrides = updated;
            try {
                save();
            } catch (IOException e) {
                overrides = before;
                throw e;
            }
        }
        return inForce(configured);
    }

    private Map<String, String> inForce(Map<String, String> configured) {
        Map<String, String> values = new LinkedHashMap<>(configured);
        overrides.forEach((key, override) -> values.put(key, override.value()));
        return values;
    }

    private Map<String, Override> load() {
        Properties saved = new Properties();
        try {
            saved.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        } catch (IOException | IllegalArgumentException e) {
            LOG.warning(() -> "ignoring unreadable " + file + ": " + e);
            return new TreeMap<>();
        }
        Map<String, Override> loaded = new TreeMap<>();
        for (String key : saved.stringPropertyNames()) {
            if (!key.endsWith(OVERRODE)) {
                loaded.put(key, new Override(saved.getProperty(key), saved.getProperty(key + OVERRODE)));
            }
        }
        return loaded;
    }

    /** Atomically: a temporary file beside it, moved into place. */
    private void save() throws IOException {
        Properties saved = new Properties();
        overrides.forEach((key, override) -> {
            saved.setProperty(key, override.value());
            if (override.overrode() != null) {
                saved.setProperty(key + OVERRODE, override.overrode());
            }
        });
        StringWriter text = new StringWriter();
        saved.store(text, "set through the API; each key wins over " + pid + "'s configuration until the"
                + " configuration's value (key.cfg) changes");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text.toString(), StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
