/**
 * Torrent metainfo: the model of a .torrent file (v1, v2 and hybrid), its parser and its creator,
 * BEP 52 merkle trees and the proofs of hash requests, and magnet links.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.7.0")
package io.graytorrent.metainfo;
