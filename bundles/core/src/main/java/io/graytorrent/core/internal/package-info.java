/**
 * The engine's implementation (private to the bundle). Each torrent's state is owned by that
 * torrent's executor; network callbacks and disk completions hop onto it.
 */
package io.graytorrent.core.internal;
