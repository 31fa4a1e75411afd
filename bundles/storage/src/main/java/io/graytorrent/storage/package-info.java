/**
 * Where a torrent's bytes live: pieces mapped onto files, positional I/O, SHA-1 and BEP 52 merkle verification on a
 * bounded disk pool with back-pressure, and resume data that survives a crash.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.4.0")
package io.graytorrent.storage;
