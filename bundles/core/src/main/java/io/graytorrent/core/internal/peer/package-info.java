/** Engine-wide knowledge about peers, independent of any one torrent: the ban list. */
package io.graytorrent.core.internal.peer;
