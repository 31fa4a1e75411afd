/**
 * Which blocks to request from which peer: the piece picker and the block geometry it hands out.
 * Pure policy, owned by one torrent's executor.
 */
package io.graytorrent.core.internal.pick;
