package io.graytorrent.peerwire.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.peerwire.EncryptionPolicy;
import io.graytorrent.peerwire.TorrentEndpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * One way of dialling a peer for a torrent: MSE run in {@code mse} (null: plaintext), and the infohash named, both as
 * the MSE stream key and in our handshake.
 */
record DialMode(EncryptionPolicy mse, InfoHash under) {

    /**
     * The modes a dial tries in turn, the next only when the peer took the connection but refused or dropped the
     * handshake: the policy's first mode, then its other (if it has one). An MSE dial for a hybrid whose v2 hash we
     * know names the v2 hash first: libtorrent 2.0 chooses the torrent by the stream key, before the handshake, and
     * answers a v1 stream key under v1 whatever the v2 bit says, so only the v2 key upgrades the connection. A peer
     * that does not know that hash (a v1-only client) drops the MSE handshake, and the v1 key is tried next.
     */
    static List<DialMode> inTurn(EncryptionPolicy policy, TorrentEndpoint torrent) {
        List<DialMode> encrypted = new ArrayList<>();
        torrent.v2InfoHash().ifPresent(v2 -> encrypted.add(new DialMode(policy, v2)));
        encrypted.add(new DialMode(policy, torrent.infoHash()));
        DialMode plaintext = new DialMode(null, torrent.infoHash());
        List<DialMode> modes = new ArrayList<>();
        switch (policy) {
            case DISABLED -> modes.add(plaintext);
            case ENABLED -> {
                modes.add(plaintext);
                modes.addAll(encrypted);
            }
            case PREFERRED -> {
                modes.addAll(encrypted);
                modes.add(plaintext);
            }
            case REQUIRED -> modes.addAll(encrypted);
        }
        return List.copyOf(modes);
    }

    @Override
    public String toString() {
        return (mse == null ? "in plaintext" : "encrypted") + " under " + under;
    }
}
