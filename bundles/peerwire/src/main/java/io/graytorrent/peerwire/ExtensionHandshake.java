package io.graytorrent.peerwire;

import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BInteger;
import io.graytorrent.bencode.BString;
import io.graytorrent.bencode.BValue;
import io.graytorrent.bencode.BencodeDecoder;
import io.graytorrent.bencode.BencodeException;
import io.graytorrent.bencode.BencodeLimits;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A peer's extension handshake (BEP 10), the bencoded dictionary in extended message 0. Fields of
 * the wrong type are treated as absent, as BEP 10 asks of unknown ones.
 *
 * @param messageIds   {@code m}: extension name to the id the peer wants it sent with (0s dropped)
 * @param client       {@code v}: client name and version
 * @param listenPort   {@code p}: the peer's TCP listen port
 * @param requestQueue {@code reqq}: how many outstanding requests the peer accepts
 * @param yourIp       {@code yourip}: our address as the peer sees it
 * @param metadataSize {@code metadata_size} (BEP 9): size of the info dictionary
 * @param fields       the whole dictionary, for extensions that read fields of their own
 */
public record ExtensionHandshake(Map<String, Integer> messageIds, Optional<String> client, OptionalInt listenPort,
        OptionalInt requestQueue, Optional<InetAddress> yourIp, OptionalLong metadataSize, BDictionary fields) {
    private static final BencodeDecoder DECODER = new BencodeDecoder(new BencodeLimits(1 << 20, 16, 1 << 16, 10_000));

    public ExtensionHandshake {
        messageIds = Map.copyOf(messageIds);
    }

    /** Reads the payload of extended message 0. */
    public static ExtensionHandshake parse(byte[] payload) {
        BValue value;
        try {
            value = DECODER.decode(payload);
        } catch (BencodeException e) {
            throw new PeerProtocolException("extension handshake is not bencode: " + e.getMessage());
        }
        if (!(value instanceof BDictionary dict)) {
            throw new PeerProtocolException("extension handshake is not a dictionary");
        }
        Map<String, Integer> ids = new LinkedHashMap<>();
        if (dict.get("m").orElse(null) instanceof BDictionary m) {
            m.entries().forEach((name, id) -> {
                if (id instanceof BInteger i && i.value() > 0 && i.value() <= 255) {
                    ids.put(name, (int) i.value());
                }
            });
        }
        return new ExtensionHandshake(ids,
                text(dict, "v"),
                integer(dict, "p", 1, 65535),
                integer(dict, "reqq", 1, Integer.MAX_VALUE),
                address(dict),
                dict.get("metadata_size").orElse(null) instanceof BInteger size && size.value() > 0
                        ? OptionalLong.of(size.value()) : OptionalLong.empty(),
                dict);
    }

    private static Optional<String> text(BDictionary dict, String key) {
        return dict.get(key).orElse(null) instanceof BString s ? Optional.of(s.text()) : Optional.empty();
    }

    private static OptionalInt integer(BDictionary dict, String key, int min, int max) {
        return dict.get(key).orElse(null) instanceof BInteger i && i.value() >= min && i.value() <= max
                ? OptionalInt.of((int) i.value()) : OptionalInt.empty();
    }

    private static Optional<InetAddress> address(BDictionary dict) {
        if (dict.get("yourip").orElse(null) instanceof BString s && (s.bytes().length == 4 || s.bytes().length == 16)) {
            try {
                return Optional.of(InetAddress.getByAddress(s.bytes()));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("4 or 16 bytes are always an address", e);
            }
        }
        return Optional.empty();
    }
}
