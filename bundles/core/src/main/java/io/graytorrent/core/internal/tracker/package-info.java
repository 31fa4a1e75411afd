/** Announcing to a torrent's trackers through the tracker plugins that are present. */
package io.graytorrent.core.internal.tracker;
