/**
 * The metadata exchange (BEP 9, {@code ut_metadata} over BEP 10): its messages, the fetcher that
 * assembles a magnet link's info dictionary from several peers, and the extension that serves
 * ours. Independent of the engine: the torrents it talks to are {@link
 * io.graytorrent.core.internal.metadata.MetadataParticipant}s.
 */
package io.graytorrent.core.internal.metadata;
