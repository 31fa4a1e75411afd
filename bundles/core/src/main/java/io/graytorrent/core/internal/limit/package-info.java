/** Byte-rate limits: token buckets, engine-wide and per torrent. */
package io.graytorrent.core.internal.limit;
