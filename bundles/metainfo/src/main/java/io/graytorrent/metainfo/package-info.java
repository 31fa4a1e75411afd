/** Torrent metainfo: the model of a .torrent file, its parser and its creator, and magnet links. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.4.0")
package io.graytorrent.metainfo;
