/**
 * BEP 52 hash requests in the engine: {@link io.graytorrent.core.internal.merkle.HashServer} answers
 * peers' requests from the piece layers a torrent has, bounded per peer;
 * {@link io.graytorrent.core.internal.merkle.PieceLayerFetcher} fetches the piece layers a magnet
 * link's metadata lacks from peers, each answer proved against its file's pieces root. Independent of
 * the engine's session classes: both are generic in the peer type and owned by the torrent's executor.
 */
package io.graytorrent.core.internal.merkle;
