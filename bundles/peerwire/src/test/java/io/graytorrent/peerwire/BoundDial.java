package io.graytorrent.peerwire;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.util.NetworkRoute;
import io.graytorrent.peerwire.internal.NettyPeerWire;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM's main for {@link BindInterfaceNamespaceTest}, run inside the test's network namespace:
 * one peer wire bound to the interface {@code args[0]} ("-" for none) dials {@code args[1]}:{@code args[2]}
 * for the torrent {@code args[3]} in plaintext and prints {@code connected} or {@code failed: REASON}.
 */
public final class BoundDial {
    private BoundDial() {
    }

    public static void main(String[] args) throws Exception {
        String device = args[0].equals("-") ? "" : args[0];
        NettyPeerWire wire = NettyPeerWire.start(PeerWireSettings.defaults().listeningOn("127.0.0.1", 0)
                .withEncryption(EncryptionPolicy.DISABLED), hash -> Optional.empty(), new ExtensionRegistry());
        wire.route(NetworkRoute.of("", device, "", "", "", false));
        try {
            wire.connect(new InetSocketAddress(args[1], Integer.parseInt(args[2])),
                    new TorrentEndpoint(InfoHash.parse(args[3]), 1, new RecordingListener())).get(20, TimeUnit.SECONDS);
            System.out.println("connected");
        } catch (java.util.concurrent.ExecutionException e) {
            System.out.println("failed: " + e.getCause().getMessage());
        } finally {
            wire.close();
        }
        System.exit(0);
    }
}
