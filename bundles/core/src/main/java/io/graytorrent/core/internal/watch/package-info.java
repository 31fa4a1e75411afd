/** The watch folder: .torrent and magnet files dropped into a directory are added. */
package io.graytorrent.core.internal.watch;
