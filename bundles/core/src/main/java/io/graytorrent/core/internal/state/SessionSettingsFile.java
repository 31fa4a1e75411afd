package io.graytorrent.core.internal.state;

import io.graytorrent.api.SessionSettings;
import io.graytorrent.storage.AtomicFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global limits last set while the engine ran ({@code TorrentService.updateSessionSettings}), kept
 * in the state directory as {@code key=value} lines and written atomically. They override the
 * component configuration at the next start: the framework's Configuration Admin store is wiped at
 * every start, so it cannot keep them.
 */
public final class SessionSettingsFile {
    private static final Logger LOG = LoggerFactory.getLogger(SessionSettingsFile.class);
    private static final String NAME = "session-settings";

    private final Path file;

    public SessionSettingsFile(Path stateDirectory) {
        this.file = stateDirectory.resolve(NAME);
    }

    /** The saved settings; empty when none were saved or the file is damaged (logged). */
    public Optional<SessionSettings> load() {
        try {
            Properties saved = new Properties();
            saved.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            return Optional.of(new SessionSettings(Long.parseLong(saved.getProperty("downloadRateLimit")),
                    Long.parseLong(saved.getProperty("uploadRateLimit")),
                    Integer.parseInt(saved.getProperty("maxConnections")),
                    Integer.parseInt(saved.getProperty("maxConnectionsPerTorrent")),
                    Path.of(saved.getProperty("defaultSaveDirectory", ""))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("ignoring damaged {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    public void save(SessionSettings settings) throws IOException {
        Properties saved = new Properties();
        saved.setProperty("downloadRateLimit", Long.toString(settings.downloadRateLimit()));
        saved.setProperty("uploadRateLimit", Long.toString(settings.uploadRateLimit()));
        saved.setProperty("maxConnections", Integer.toString(settings.maxConnections()));
        saved.setProperty("maxConnectionsPerTorrent", Integer.toString(settings.maxConnectionsPerTorrent()));
        saved.setProperty("defaultSaveDirectory", settings.defaultSaveDirectory().toString());
        StringWriter text = new StringWriter();
        saved.store(text, "set through the JSON API; overrides io.graytorrent.core's configuration");
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
