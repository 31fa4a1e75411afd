package io.graytorrent.api;

import java.util.Set;
import java.util.SortedSet;
import java.util.regex.Pattern;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The labels people give torrents to sort them ("linux", "work"), any number each, kept across
 * restarts and dropped with the torrent. A service of its own beside {@link TorrentService}.
 */
@ProviderType
public interface TorrentLabels {
    /** What a label may be: letters, digits, {@code . _ -}, starting with a letter or digit. */
    Pattern LABEL = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}._-]{0,63}");
    /** Labels one torrent may have. */
    int MAX_LABELS = 32;

    /** The labels of the torrent with this id, sorted; empty for none or an unknown id. */
    SortedSet<String> labels(int id);

    /**
     * Adds {@code add} and removes {@code remove} (a label in both is added) from the torrent
     * {@code ref} (as {@link TorrentService} takes it) and answers its labels afterwards.
     *
     * @throws TorrentException NOT_FOUND for an unknown torrent; INVALID_INPUT, changing nothing, for
     *                          a label not matching {@link #LABEL} or more than {@link #MAX_LABELS};
     *                          FAILED when they could not be written
     */
    SortedSet<String> change(String ref, Set<String> add, Set<String> remove) throws TorrentException;
}
