/** Which connections a torrent admits, which peers it dials, and when it tries again. */
package io.graytorrent.core.internal.connect;
