package io.graytorrent.peerwire.internal;

import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.ExtensionMessageHandler;
import io.graytorrent.peerwire.ExtensionRegistry;
import io.graytorrent.peerwire.MessageIds;
import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.peerwire.PeerWireSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's side of the extension protocol (BEP 10): the extensions we announced to the
 * peer, with their ids fixed for the connection, and the calls into their handlers. A handler that
 * throws is logged, not blamed on the peer. Used on the connection's event loop only.
 */
final class SessionExtensions {
    private static final Logger LOG = LoggerFactory.getLogger(SessionExtensions.class);

    private final ExtensionRegistry registry;
    private final PeerConnection peer;
    private Map<Integer, ExtensionMessageHandler> announced = new HashMap<>();
    private boolean sent;

    SessionExtensions(ExtensionRegistry registry, PeerConnection peer) {
        this.registry = registry;
        this.peer = peer;
    }

    /** Our extension handshake: the registry's extensions and their fields, and ours. */
    PeerMessage.Extended ourHandshake(PeerWireSettings settings, int listenPort) {
        announced = present();
        sent = true;
        return handshake(settings, listenPort);
    }

    /**
     * Extensions registered since our handshake went out join this connection: a new handshake
     * announces them (BEP 10 lets a handshake follow another), and each hears the peer's handshake if
     * it came. Null, sending nothing, before our first handshake or when no extension is new.
     */
    PeerMessage.Extended refresh(PeerWireSettings settings, int listenPort, ExtensionHandshake remote) {
        if (!sent) {
            return null;
        }
        Map<Integer, ExtensionMessageHandler> added = present();
        added.entrySet().removeIf(entry -> announced.get(entry.getKey()) == entry.getValue());
        if (added.isEmpty()) {
            return null;
        }
        announced.putAll(added);
        PeerMessage.Extended handshake = handshake(settings, listenPort);
        if (remote != null) {
            added.values().forEach(h -> call(h, () -> h.onHandshake(peer, remote)));
        }
        return handshake;
    }

    /** The registered extensions that want this connection. */
    private Map<Integer, ExtensionMessageHandler> present() {
        Map<Integer, ExtensionMessageHandler> present = new HashMap<>(registry.snapshot());
        present.values().removeIf(handler -> !callAnnounced(handler));
        return present;
    }

    private PeerMessage.Extended handshake(PeerWireSettings settings, int listenPort) {
        Map<String, Object> fields = new HashMap<>();
        Map<String, Object> ids = new TreeMap<>();
        announced.forEach((id, handler) -> {
            if (registry.isRegistered(handler)) {
                ids.put(handler.name(), id);
                call(handler, () -> handler.contributeHandshake(peer, fields));
            }
        });
        fields.put("m", ids);
        fields.put("v", settings.clientName());
        fields.put("reqq", settings.requestQueueLength());
        fields.put("yourip", peer.remoteAddress().getAddress().getAddress());
        fields.put("p", listenPort);
        return new PeerMessage.Extended(MessageIds.EXTENDED_HANDSHAKE, BencodeEncoder.encode(fields));
    }

    void onHandshake(ExtensionHandshake handshake) {
        announced.values().forEach(h -> call(h, () -> h.onHandshake(peer, handshake)));
    }

    /** A message sent to one of our ids; ignored if that extension has left since we announced it. */
    void onMessage(int localId, byte[] payload) {
        ExtensionMessageHandler handler = announced.get(localId);
        if (handler != null && registry.isRegistered(handler)) {
            call(handler, () -> handler.onMessage(peer, payload));
        } else {
            LOG.debug("{}: ignoring extended message {} of an extension no longer here", peer, localId);
        }
    }

    void onClosed() {
        announced.values().forEach(h -> call(h, () -> h.onClosed(peer)));
    }

    /** A handler that throws here is left out, as if it had said no. */
    private boolean callAnnounced(ExtensionMessageHandler handler) {
        try {
            return handler.announcedTo(peer);
        } catch (RuntimeException e) {
            LOG.warn("{}: extension '{}' failed", peer, handler.name(), e);
            return false;
        }
    }

    private void call(ExtensionMessageHandler handler, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: extension '{}' failed", peer, handler.name(), e);
        }
    }
}
