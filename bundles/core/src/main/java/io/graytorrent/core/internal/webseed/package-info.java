/**
 * Web seeds (BEP 19 {@code url-list}): HTTP servers holding the torrent's files, used as sources
 * that have every piece. Runs of whole pieces become range requests on the right files; the
 * blocks go to the swarm and are verified like any peer's.
 */
package io.graytorrent.core.internal.webseed;
