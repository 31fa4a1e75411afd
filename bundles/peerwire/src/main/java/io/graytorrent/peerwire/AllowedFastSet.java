package io.graytorrent.peerwire;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.util.Sha1;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/** The canonical allowed fast set of BEP 6, which depends only on the peer's /24 and the torrent. */
public final class AllowedFastSet {
    private AllowedFastSet() {
    }

    /**
     * The first {@code k} pieces of {@code peer}'s allowed fast set, in the order BEP 6 generates
     * them. BEP 6 has no provision for IPv6, so an IPv6 peer gets an empty set; {@code k} is capped at the number of pieces.
     */
    public static List<Integer> compute(InfoHash infoHash, InetAddress peer, int pieceCount, int k) {
        byte[] ip = ipv4(peer);
        List<Integer> set = new ArrayList<>();
        if (ip == null || pieceCount <= 0) {
            return set;
        }
        int wanted = Math.min(k, pieceCount);
        byte[] x = ByteBuffer.allocate(4 + InfoHash.LENGTH)
                .put(ip[0]).put(ip[1]).put(ip[2]).put((byte) 0)
                .put(infoHash.toBytes()).array();
        MessageDigest sha1 = Sha1.newDigest();
        while (set.size() < wanted) {
            x = sha1.digest(x);
            ByteBuffer hash = ByteBuffer.wrap(x);
            for (int i = 0; i < 5 && set.size() < wanted; i++) {
                int index = (int) (Integer.toUnsignedLong(hash.getInt(i * 4)) % pieceCount);
                if (!set.contains(index)) {
                    set.add(index);
                }
            }
        }
        return set;
    }

    private static byte[] ipv4(InetAddress address) {
        // Java already represents IPv4-mapped IPv6 addresses as Inet4Address
        return address instanceof Inet4Address ? address.getAddress() : null;
    }

}
