/** What the engine keeps in its state directory: torrent records, the id counter, the session settings. */
package io.graytorrent.core.internal.state;
