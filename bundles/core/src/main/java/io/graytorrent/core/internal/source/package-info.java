/** The peer source plugins (DHT, PEX, LSD, web seeds) and which running torrents they are told of. */
package io.graytorrent.core.internal.source;
