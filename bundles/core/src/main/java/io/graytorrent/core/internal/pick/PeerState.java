package io.graytorrent.core.internal.pick;

import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/** What the picker knows about one peer: its pieces, our requests to it, the blocks it refused. */
final class PeerState {

    final BitSet pieces = new BitSet();
    boolean seed;
    final Set<BlockRequest> outstanding = new LinkedHashSet<>();
    final Set<BlockRequest> rejected = new HashSet<>();

    boolean has(int piece) {
        return seed || pieces.get(piece);
    }
}
