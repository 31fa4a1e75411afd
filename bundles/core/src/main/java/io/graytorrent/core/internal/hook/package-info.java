/** Programs the user configured, run when a torrent is added or completes. */
package io.graytorrent.core.internal.hook;
