/** The engine as plain Java: the managed torrents by id and infohash, and what they share. */
package io.graytorrent.core.internal.engine;
