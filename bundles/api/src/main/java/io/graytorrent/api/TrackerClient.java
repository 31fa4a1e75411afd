package io.graytorrent.api;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Talks to trackers of the URL schemes it registers under {@link #SCHEMES} (a String or String[]
 * service property, lower case: {@code "udp"}, {@code {"http", "https"}}). Implemented by plugins;
 * the engine picks one by the scheme of each announce URL. Methods never block: a failure completes
 * the future exceptionally with a {@link TrackerException} carrying the tracker's reason or ours.
 */
@ConsumerType
public interface TrackerClient {
    /** Service property naming the URL schemes a client serves. */
    String SCHEMES = "graytorrent.tracker.schemes";

    CompletableFuture<AnnounceResponse> announce(AnnounceRequest request);

    /** BEP 48 / BEP 15 scrape of one torrent; by default not supported. */
    default CompletableFuture<ScrapeResponse> scrape(java.net.URI tracker, InfoHash infoHash) {
        return CompletableFuture.failedFuture(new TrackerException("scrape is not supported for " + tracker.getScheme()));
    }
}
