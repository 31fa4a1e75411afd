/** Whom we upload to (the choker) and how deep we pipeline requests to a peer. Pure policy. */
package io.graytorrent.core.internal.choke;
