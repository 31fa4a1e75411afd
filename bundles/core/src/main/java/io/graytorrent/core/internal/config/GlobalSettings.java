package io.graytorrent.core.internal.config;

import io.graytorrent.api.AltSpeed;
import io.graytorrent.api.SessionSettings;
import io.graytorrent.api.SpeedSchedule;
import io.graytorrent.core.internal.state.SessionSettingsFile;
import io.graytorrent.core.internal.state.SessionSettingsFile.Override;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule for the global limits ({@link SessionSettings}) that both the configuration
 * ({@code io.graytorrent.core.cfg}) and the API set: per key, the later change wins. A value set
 * through the API is kept in the state directory with the configuration's value it replaced; it holds
 * across restarts until the configuration's value for that key changes (while the server runs or while
 * it is stopped), and then the configuration's new value wins and the API's is forgotten. Setting a key
 * through the API back to the configuration's value forgets the API's too. Thread-safe.
 */
public final class GlobalSettings {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalSettings.class);

    private final SessionSettingsFile file;
    private Map<String, Override> overrides;
    private EngineSettings configured;
    private EngineSettings current;

    /** {@code configured}: the configuration's settings at start; the saved API values are applied over them. */
    public GlobalSettings(EngineSettings configured, Path stateDirectory) {
        this.file = new SessionSettingsFile(stateDirectory);
        this.overrides = new TreeMap<>();
        Map<String, String> configuredValues = values(configured.session());
        file.load().forEach((key, saved) -> {
            if (configuredValues.containsKey(key)) {
                // a file of an older version knows no overridden value: the API's keeps winning for now
                overrides.put(key, saved.overrode() != null ? saved : new Override(saved.value(), configuredValues.get(key)));
            }
        });
        reconfigure(configured);
    }

    public synchronized EngineSettings current() {
        return current;
    }

    /** The configuration changed: its changed keys win over the API's values for them. Returns the settings now. */
    public synchronized EngineSettings reconfigure(EngineSettings configuration) {
        Map<String, String> configuredValues = values(configuration.session());
        Map<String, Override> kept = new TreeMap<>(overrides);
        kept.entrySet().removeIf(entry -> {
            boolean replaced = !entry.getValue().overrode().equals(configuredValues.get(entry.getKey()));
            if (replaced) {
                LOG.info("{} is {} again: its configuration changed since it was set to {} through the API",
                        entry.getKey(), configuredValues.get(entry.getKey()), entry.getValue().value());
            }
            return replaced;
        });
        EngineSettings resolved;
        try {
            resolved = configuration.with(session(configuredValues, kept));
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring the settings saved through the API: {}", e.getMessage());
            kept.clear();
            resolved = configuration;
        }
        if (!kept.equals(overrides)) {
            overrides = kept;
            saveQuietly();
        }
        configured = configuration;
        current = resolved;
        return current;
    }

    /** Values set through the API, saved before they apply. Returns the settings now. */
    public synchronized EngineSettings update(SessionSettings session) throws IOException {
        Map<String, String> configuredValues = values(configured.session());
        Map<String, Override> updated = new TreeMap<>();
        values(session).forEach((key, value) -> {
            if (!value.equals(configuredValues.get(key))) {
                updated.put(key, new Override(value, configuredValues.get(key)));
            }
        });
        if (!updated.equals(overrides)) {
            file.save(updated);
            overrides = updated;
        }
        current = configured.with(session);
        return current;
    }

    private void saveQuietly() {
        try {
            file.save(overrides);
        } catch (IOException e) {
            LOG.warn("cannot save the settings set through the API: {}", e.toString());
        }
    }

    private static Map<String, String> values(SessionSettings session) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("downloadRateLimit", Long.toString(session.downloadRateLimit()));
        values.put("uploadRateLimit", Long.toString(session.uploadRateLimit()));
        values.put("maxConnections", Integer.toString(session.maxConnections()));
        values.put("maxConnectionsPerTorrent", Integer.toString(session.maxConnectionsPerTorrent()));
        values.put("defaultSaveDirectory", session.defaultSaveDirectory().toString());
        values.put("altDownloadRateLimit", Long.toString(session.altSpeed().downloadRateLimit()));
        values.put("altUploadRateLimit", Long.toString(session.altSpeed().uploadRateLimit()));
        values.put("altSpeedEnabled", Boolean.toString(session.altSpeed().enabled()));
        values.put("altSpeedSchedule", session.altSpeed().schedule().toString());
        return values;
    }

    /** The configuration's values with the API's over them; IllegalArgumentException if one is not valid. */
    private static SessionSettings session(Map<String, String> configuredValues, Map<String, Override> overrides) {
        Map<String, String> values = new LinkedHashMap<>(configuredValues);
        overrides.forEach((key, override) -> values.put(key, override.value()));
        try {
            return new SessionSettings(Long.parseLong(values.get("downloadRateLimit")),
                    Long.parseLong(values.get("uploadRateLimit")), Integer.parseInt(values.get("maxConnections")),
                    Integer.parseInt(values.get("maxConnectionsPerTorrent")), Path.of(values.get("defaultSaveDirectory")),
                    new AltSpeed(Long.parseLong(values.get("altDownloadRateLimit")), Long.parseLong(values.get("altUploadRateLimit")),
                            Boolean.parseBoolean(values.get("altSpeedEnabled")), SpeedSchedule.parse(values.get("altSpeedSchedule"))));
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("defaultSaveDirectory: " + e.getMessage(), e);
        }
    }
}
