package io.graytorrent.core.internal.swarm;

import io.graytorrent.peerwire.PeerConnection;
import io.graytorrent.peerwire.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A peer's client name: its extension handshake's {@code v}, else read from its BEP 20 peer id in
 * one of the three common encodings: Azureus style {@code -LT2080-}, Mainline style {@code M7-2-1--}
 * (aria2 writes {@code A2-1-37-0-} the same way) and Shadow style {@code T03I-----}.
 */
public final class ClientNames {
    private static final Map<String, String> AZUREUS_CODES = Map.ofEntries(
            Map.entry("LT", "libtorrent"), Map.entry("lt", "libTorrent (rakshasa)"), Map.entry("qB", "qBittorrent"),
            Map.entry("TR", "Transmission"), Map.entry("UT", "µTorrent"), Map.entry("UM", "µTorrent Mac"),
            Map.entry("UW", "µTorrent Web"), Map.entry("DE", "Deluge"), Map.entry("AZ", "Vuze"),
            Map.entry("BI", "BiglyBT"), Map.entry("BT", "BitTorrent"), Map.entry("BC", "BitComet"),
            Map.entry("BL", "BitLord"), Map.entry("FD", "Free Download Manager"), Map.entry("KT", "KTorrent"),
            Map.entry("PI", "PicoTorrent"), Map.entry("WW", "WebTorrent"), Map.entry("WD", "WebTorrent Desktop"),
            Map.entry("FW", "FrostWire"), Map.entry("XL", "Xunlei"), Map.entry("SD", "Thunder"),
            Map.entry("TT", "TuoTu"), Map.entry("LW", "LimeWire"), Map.entry("GY", "graytorrent"));
    private static final Map<Character, String> MAINLINE_CODES = Map.of('M', "Mainline", 'Q', "Queen Bee");
    private static final Map<Character, String> SHADOW_CODES = Map.of('A', "ABC", 'O', "Osprey Permaseed",
            'Q', "BTQueue", 'R', "Tribler", 'S', "Shadow's client", 'T', "BitTornado", 'U', "UPnP NAT Bit Torrent");
    /** Shadow style encodes each version number as one character of this alphabet. */
    private static final String SHADOW_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.-";

    private ClientNames() {
    }

    public static String of(PeerConnection peer) {
        return peer.remoteExtensionHandshake().flatMap(h -> h.client()).orElseGet(() -> fromPeerId(peer.remotePeerId()));
    }

    /** "-LT2080-…" reads as "libtorrent 2.0.8.0"; an unknown Azureus code is shown as it is; "" when unrecognised. */
    static String fromPeerId(PeerId peerId) {
        String id = new String(peerId.toBytes(), StandardCharsets.ISO_8859_1);
        if (id.charAt(0) == '-' && id.charAt(7) == '-') {
            return AZUREUS_CODES.getOrDefault(id.substring(1, 3), id.substring(1, 3)) + " "
                    + String.join(".", id.substring(3, 7).split(""));
        }
        if (id.startsWith("A2-")) {
            return "aria2 " + dashedVersion(id.substring(3));
        }
        if (id.startsWith("exbc")) {
            return "BitComet " + (id.charAt(4) & 0xff) + "." + String.format("%02d", id.charAt(5) & 0xff);
        }
        if (MAINLINE_CODES.containsKey(id.charAt(0)) && Character.isDigit(id.charAt(1))
                && (id.charAt(2) == '-' || id.charAt(3) == '-')) {
            return MAINLINE_CODES.get(id.charAt(0)) + " " + dashedVersion(id.substring(1));
        }
        if (SHADOW_CODES.containsKey(id.charAt(0)) && id.startsWith("---", 6)) {
            return SHADOW_CODES.get(id.charAt(0)) + " " + shadowVersion(id.substring(1, 6));
        }
        return "";
    }

    /** "7-2-1--…" → "7.2.1": numbers separated by single dashes, ended by a double dash or a non-digit. */
    private static String dashedVersion(String text) {
        StringBuilder version = new StringBuilder();
        for (int i = 0; i < text.length() && i < 12; i++) {
            char c = text.charAt(i);
            if (Character.isDigit(c)) {
                version.append(c);
            } else if (c == '-' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
                version.append('.');
            } else {
                break;
            }
        }
        return version.toString();
    }

    /** "03I--" → "0.3.18": one character per number until the dashes. */
    private static String shadowVersion(String text) {
        StringBuilder version = new StringBuilder();
        for (char c : text.toCharArray()) {
            int number = SHADOW_DIGITS.indexOf(c);
            if (c == '-' || number < 0) {
                break;
            }
            version.append(version.isEmpty() ? "" : ".").append(number);
        }
        return version.toString();
    }
}
