package io.graytorrent.api;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The watch folder's settings read and changed at run time ({@code /api/v1/settings}); values set here
 * and the {@code io.graytorrent.watch} configuration follow the rule "per key, the later change wins"
 * (README, Configuration). The engine bundle's watch folder component provides it.
 */
@ProviderType
public interface WatchFolderService {
    /** The settings in force. */
    WatchFolderSettings settings();

    /** Saves them (kept across restarts), then the folder is watched with them. Returns the settings in force. */
    WatchFolderSettings update(WatchFolderSettings settings) throws IOException;
}
