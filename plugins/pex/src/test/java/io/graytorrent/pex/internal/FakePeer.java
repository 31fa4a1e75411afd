package io.graytorrent.pex.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.CloseReason;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerEncryption;
import io.graytorrent.peerwire.PeerId;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.TransferStats;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A connection that records the ut_pex messages sent on it and how it was closed. */
final class FakePeer implements PeerConnection {
    final InfoHash infoHash;
    final InetSocketAddress remote;
    final boolean outgoing;
    boolean privateTorrent;
    PeerEncryption encryption = PeerEncryption.PLAINTEXT;
    String transport = "tcp";
    final List<PexMessage> received = new ArrayList<>();
    /** The ut_holepunch messages sent. */
    final List<HolepunchMessage> holepunch = new ArrayList<>();
    /** The payloads of the upload_only messages sent. */
    final List<byte[]> uploadOnly = new ArrayList<>();
    /** Extensions the peer announced; sending on another one sends nothing. */
    Set<String> announced = Set.of(PeerExchange.NAME, UploadOnly.NAME, Holepunch.NAME);
    CloseReason closed;

    FakePeer(InfoHash infoHash, String ip, int port, boolean outgoing) {
        this.infoHash = infoHash;
        this.remote = new InetSocketAddress(ip, port);
        this.outgoing = outgoing;
    }

    /** An extension handshake announcing ut_pex (or not), with {@code extra} fields such as {@code p}. */
    static ExtensionHandshake handshake(boolean pex, Object... extra) {
        return handshake(pex ? Map.of(PeerExchange.NAME, 1) : Map.of("ut_metadata", 2), extra);
    }

    /** An extension handshake announcing ut_pex, and ut_holepunch (or not), with {@code extra} fields. */
    static ExtensionHandshake holepunchHandshake(boolean holepunch, Object... extra) {
        return handshake(holepunch ? Map.of(PeerExchange.NAME, 1, Holepunch.NAME, 4) : Map.of(PeerExchange.NAME, 1), extra);
    }

    private static ExtensionHandshake handshake(Map<String, Integer> extensions, Object... extra) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("m", extensions);
        for (int i = 0; i < extra.length; i += 2) {
            fields.put((String) extra[i], extra[i + 1]);
        }
        return ExtensionHandshake.parse(BencodeEncoder.encode(fields));
    }

    @Override
    public InfoHash infoHash() {
        return infoHash;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean privateTorrent() {
        return privateTorrent;
    }

    @Override
    public String transport() {
        return transport;
    }

    @Override
    public PeerEncryption encryption() {
        return encryption;
    }

    @Override
    public PeerId remotePeerId() {
        return PeerId.generate();
    }

    @Override
    public boolean outgoing() {
        return outgoing;
    }

    @Override
    public Capabilities negotiated() {
        return new Capabilities(true, true, false);
    }

    @Override
    public Optional<ExtensionHandshake> remoteExtensionHandshake() {
        return Optional.empty();
    }

    @Override
    public void send(PeerMessage message) {
        throw new UnsupportedOperationException("PEX sends extension messages only");
    }

    @Override
    public void send(PeerMessage message, Runnable whenDone) {
        throw new UnsupportedOperationException("PEX sends extension messages only");
    }

    @Override
    public boolean sendExtended(String extensionName, byte[] payload) {
        if (!announced.contains(extensionName)) {
            return false;
        }
        if (extensionName.equals(Holepunch.NAME)) {
            holepunch.add(HolepunchMessage.decode(payload));
        } else if (extensionName.equals(UploadOnly.NAME)) {
            uploadOnly.add(payload);
        } else {
            received.add(PexMessage.decode(payload));
        }
        return true;
    }

    @Override
    public void pieceCount(int pieceCount) {
    }

    @Override
    public void setReading(boolean reading) {
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public TransferStats stats() {
        throw new UnsupportedOperationException("PEX reads no statistics");
    }

    @Override
    public boolean isOpen() {
        return closed == null;
    }

    @Override
    public void close(CloseReason reason) {
        closed = reason;
    }

    @Override
    public String toString() {
        return remote.toString();
    }
}
