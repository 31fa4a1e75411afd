/** Threads and time: the one-thread-at-a-time executor that owns a torrent's state, and the clock. */
package io.graytorrent.core.internal.concurrent;
