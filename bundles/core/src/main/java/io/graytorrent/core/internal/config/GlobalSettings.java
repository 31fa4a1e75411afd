package io.graytorrent.core.internal.config;

import io.graytorrent.api.AltSpeed;
import io.graytorrent.api.SessionSettings;
import io.graytorrent.api.SpeedSchedule;
import io.graytorrent.api.util.LaterChangeWins;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global limits ({@link SessionSettings}) that both the configuration ({@code io.graytorrent.core.cfg})
 * and the API set, under the project's one rule, {@link LaterChangeWins}: per key, the later change wins,
 * across restarts. The API's values are kept in the state directory's {@code session-settings}. This class
 * only turns the settings into that rule's keys and back. Thread-safe.
 */
public final class GlobalSettings {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalSettings.class);
    static final String FILE = "session-settings";

    private final LaterChangeWins apiValues;
    private EngineSettings configured;
    private EngineSettings current;

    /** {@code configured}: the configuration's settings at start; the saved API values are applied over them. */
    public GlobalSettings(EngineSettings configured, Path stateDirectory) {
        this.apiValues = new LaterChangeWins(stateDirectory.resolve(FILE), "io.graytorrent.core");
        reconfigure(configured);
    }

    public synchronized EngineSettings current() {
        return current;
    }

    /** The configuration changed: its changed keys win over the API's values for them. Returns the settings now. */
    public synchronized EngineSettings reconfigure(EngineSettings configuration) {
        Map<String, String> configuredValues = values(configuration.session());
        EngineSettings resolved;
        try {
            resolved = configuration.with(session(apiValues.resolve(configuredValues)));
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring the settings saved through the API: {}", e.getMessage());
            forget(configuredValues);
            resolved = configuration;
        }
        configured = configuration;
        current = resolved;
        return current;
    }

    /** Values set through the API, saved before they apply. Returns the settings now. */
    public synchronized EngineSettings update(SessionSettings session) throws IOException {
        apiValues.set(values(configured.session()), values(session));
        current = configured.with(session);
        return current;
    }

    /** Every key set back to the configuration's value, which forgets the API's values. */
    private void forget(Map<String, String> configuredValues) {
        try {
            apiValues.set(configuredValues, configuredValues);
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

    /** The settings {@code values} (every key) say; IllegalArgumentException if one is not valid. */
    private static SessionSettings session(Map<String, String> values) {
        try {
            return new SessionSettings(Long.parseLong(values.get("downloadRateLimit")),
                    Long.parseLong(values.get("uploadRateLimit")), Integer.parseInt(values.get("maxConnections")),
                    Integer.parseInt(values.get("maxConnectionsPerTorrent")), Path.of(values.get("defaultSaveDirectory")),
                    new AltSpeed(Long.parseLong(values.get("altDownloadRateLimit")), Long.parseLong(values.get("altUploadRateLimit")),
                            Boolean.parseBoolean(values.get("altSpeedEnabled")), SpeedSchedule.parse(values.get("altSpeedSchedule"))));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("defaultSaveDirectory: " + e.getMessage(), e);
        }
    }
}
