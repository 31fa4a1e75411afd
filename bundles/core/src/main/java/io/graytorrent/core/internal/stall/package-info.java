/** Why a torrent makes no progress: the facts gathered from its session, and the diagnosis drawn from them. */
package io.graytorrent.core.internal.stall;
