/** Torrent metainfo: the model of a .torrent file, its parser and its creator. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.graytorrent.metainfo;
