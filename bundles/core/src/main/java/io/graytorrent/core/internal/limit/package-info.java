/** Limits: byte rates (token buckets, engine-wide and per torrent), active torrents, buffered piece bytes. */
package io.graytorrent.core.internal.limit;
