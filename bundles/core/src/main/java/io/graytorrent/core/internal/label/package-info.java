/** The labels people give torrents, one small file per labelled torrent beside its record. */
package io.graytorrent.core.internal.label;
