/** The one-thread-at-a-time executor that owns a torrent's state. */
package io.graytorrent.core.internal.concurrent;
