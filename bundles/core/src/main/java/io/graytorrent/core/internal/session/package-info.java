/**
 * One torrent's runtime, from adding to removal, owned by its executor: {@code TorrentRuntime} moves
 * through the phases (fetching metadata, checking, downloading or queued, seeding, stopped, error),
 * {@code TorrentPeers} holds its connections across them, {@code MetadataPhase} fetches a magnet
 * link's info dictionary, {@code TorrentContent} holds files and pieces once that is known.
 */
package io.graytorrent.core.internal.session;
