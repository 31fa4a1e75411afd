package io.graytorrent.pex.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.TorrentListener;
import io.graytorrent.api.TorrentState;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.bencode.BInteger;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.ExtensionMessageHandler;
import io.graytorrent.peerwire.PeerConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/**
 * Upload-only (BEP 21): while a torrent seeds (every wanted piece verified, skipped files aside)
 * its extension handshakes carry {@code upload_only: 1}, and when it starts or stops seeding its
 * peers that announced the {@code upload_only} extension hear a live message:
 * <pre>
 * extended message "upload_only": one byte, 1 (upload-only from now on) or 0 (wants pieces again)
 * </pre>
 * Two upload-only sides have nothing to give each other, so a connection whose peer is upload-only
 * (by its handshake or a message) closes while we are too. Works for private torrents as well: it
 * tells peers nothing about other peers. Learns which torrents seed from the engine's status
 * events. Thread-safe.
 */
@Component(service = {ExtensionMessageHandler.class, TorrentListener.class})
public final class UploadOnly implements ExtensionMessageHandler, TorrentListener {
    public static final String NAME = "upload_only";
    private static final byte[] ON = {1};
    private static final byte[] OFF = {0};

    private final Set<InfoHash> seeding = new HashSet<>();
    /** Connections with an extension handshake, by torrent; each with whether the peer is upload-only. */
    private final Map<InfoHash, Map<PeerConnection, Boolean>> connections = new HashMap<>();

    // ---- ExtensionMessageHandler ----

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized void contributeHandshake(PeerConnection peer, Map<String, Object> fields) {
        if (seeding.contains(peer.infoHash())) {
            fields.put(NAME, 1);
        }
    }

    @Override
    public void onHandshake(PeerConnection peer, ExtensionHandshake handshake) {
        boolean peerUploadOnly = handshake.fields().get(NAME).orElse(null) instanceof BInteger flag && flag.value() != 0;
        peerIs(peer, peerUploadOnly);
    }

    @Override
    public void onMessage(PeerConnection peer, byte[] payload) {
        if (payload.length != 1) {
            peer.close(CloseReason.misbehaviour("upload_only message of " + payload.length + " bytes, not 1"));
            return;
        }
        peerIs(peer, payload[0] != 0);
    }

    @Override
    public synchronized void onClosed(PeerConnection peer) {
        Map<PeerConnection, Boolean> peers = connections.get(peer.infoHash());
        if (peers != null) {
            peers.remove(peer);
            if (peers.isEmpty()) {
                connections.remove(peer.infoHash());
            }
        }
    }

    private void peerIs(PeerConnection peer, boolean uploadOnly) {
        boolean redundant;
        synchronized (this) {
            connections.computeIfAbsent(peer.infoHash(), h -> new LinkedHashMap<>()).put(peer, uploadOnly);
            redundant = uploadOnly && seeding.contains(peer.infoHash());
        }
        if (redundant) {
            peer.close(CloseReason.normal("both sides are upload-only"));
        }
    }

    // ---- TorrentListener ----

    @Override
    public void statusChanged(TorrentStatus status) {
        InfoHash infoHash = status.infoHash();
        boolean now = status.state() == TorrentState.SEEDING;
        List<PeerConnection> tell = new ArrayList<>();
        List<PeerConnection> close = new ArrayList<>();
        synchronized (this) {
            if (now == seeding.contains(infoHash)) {
                return;
            }
            if (now) {
                seeding.add(infoHash);
            } else {
                seeding.remove(infoHash);
            }
            connections.getOrDefault(infoHash, Map.of()).forEach((peer, peerUploadOnly) ->
                    (now && peerUploadOnly ? close : tell).add(peer));
        }
        // outside the lock: a send or close may call back into this handler on the same thread
        close.forEach(peer -> peer.close(CloseReason.normal("both sides are upload-only")));
        tell.forEach(peer -> peer.sendExtended(NAME, now ? ON : OFF));
    }

    @Override
    public synchronized void removed(int id, InfoHash infoHash) {
        seeding.remove(infoHash);
    }
}
