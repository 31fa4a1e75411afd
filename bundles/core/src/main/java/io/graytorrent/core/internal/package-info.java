/**
 * The engine's implementation (private to the bundle). Each torrent's state is owned by that
 * torrent's executor; network callbacks and disk completions hop onto it. Here the OSGi component;
 * the engine and its parts live in rooms below ({@code engine}, {@code session}, {@code swarm},
 * {@code state}, {@code connect}, {@code pick}, {@code choke}, {@code limit}, …).
 */
package io.graytorrent.core.internal;
