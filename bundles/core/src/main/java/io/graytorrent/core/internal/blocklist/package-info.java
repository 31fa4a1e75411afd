/** The IP blocklist: range lists parsed from files and URLs, merged into sorted arrays for lookups. */
package io.graytorrent.core.internal.blocklist;
