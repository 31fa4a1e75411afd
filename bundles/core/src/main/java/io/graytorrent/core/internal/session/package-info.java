/** One managed torrent's runtime: its life from adding to removal, owned by its executor. */
package io.graytorrent.core.internal.session;
