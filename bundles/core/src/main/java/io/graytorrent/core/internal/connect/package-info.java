/** Which peers a torrent dials, and when it tries again. */
package io.graytorrent.core.internal.connect;
