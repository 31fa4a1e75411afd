package io.graytorrent.api;

/**
 * A tracker's counts for one torrent (BEP 48, BEP 15).
 *
 * @param seeders   peers with the whole torrent now
 * @param completed downloads the tracker has seen complete, ever
 * @param leechers  peers still downloading now
 */
public record ScrapeResponse(int seeders, int completed, int leechers) {
}
