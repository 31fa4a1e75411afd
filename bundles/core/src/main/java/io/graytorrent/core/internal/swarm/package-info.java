/** The peer protocol of one running torrent: its connected peers, requests, blocks in and out. */
package io.graytorrent.core.internal.swarm;
