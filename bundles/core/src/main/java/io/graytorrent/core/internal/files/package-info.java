/** A torrent's files: where they fall in pieces, and deleting them. */
package io.graytorrent.core.internal.files;
