package io.graytorrent.core.internal.connect;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * BEP 40's canonical peer priority: CRC32-C of the two addresses, masked and sorted, which both ends
 * of a connection compute alike. When a torrent has more candidates than free connection slots,
 * the highest-priority candidates are dialled first, so that all peers of a swarm favour the same
 * pairs and a flood of newcomers cannot take every slot.
 *
 * <p>Masks: an IPv4 address keeps its first 2 bytes whole and the rest masked with 0x55, an IPv6
 * address its first 6; every further byte the two addresses share extends the whole part by one
 * byte (same /16 → FF.FF.FF.55, same /24 → the entire address). Equal addresses compare ports.
 */
public final class CanonicalPriority {
    private static final int MASK = 0x55;

    private CanonicalPriority() {
    }

    /**
     * The priority of the pair as an unsigned 32-bit value; 0 (the lowest) when {@code us} is
     * unknown ({@code null}) or of the other address family.
     */
    public static long of(InetSocketAddress us, InetSocketAddress peer) {
        InetAddress ours = us == null ? null : us.getAddress();
        InetAddress theirs = peer.getAddress();
        if (ours == null || theirs == null) {
            return 0;
        }
        byte[] a = ours.getAddress();
        byte[] b = theirs.getAddress();
        if (a.length != b.length) {
            return 0;
        }
        if (Arrays.equals(a, b)) {
            int low = Math.min(us.getPort(), peer.getPort());
            int high = Math.max(us.getPort(), peer.getPort());
            return crc32c(new byte[] {(byte) (low >> 8), (byte) low, (byte) (high >> 8), (byte) high});
        }
        int whole = Math.max(a.length == 4 ? 2 : 6, Arrays.mismatch(a, b) + 1);
        mask(a, whole);
        mask(b, whole);
        byte[] pair = new byte[a.length * 2];
        boolean aFirst = Arrays.compareUnsigned(a, b) <= 0;
        System.arraycopy(aFirst ? a : b, 0, pair, 0, a.length);
        System.arraycopy(aFirst ? b : a, 0, pair, a.length, a.length);
        return crc32c(pair);
    }

    /**
     * Which of {@code due} to dial into {@code slots} free slots: all of them, in their order, when
     * they fit; else the {@code slots} of highest priority, highest first. {@code ourAddressTowards}
     * gives our own address as a peer would see it (null when unknown).
     */
    public static List<InetSocketAddress> first(List<InetSocketAddress> due, int slots,
            Function<InetSocketAddress, InetSocketAddress> ourAddressTowards) {
        if (due.size() <= slots) {
            return due;
        }
        Comparator<InetSocketAddress> byPriority = Comparator.comparingLong(peer -> of(ourAddressTowards.apply(peer), peer));
        return due.stream().sorted(byPriority.reversed()).limit(Math.max(slots, 0)).toList();
    }

    private static void mask(byte[] address, int whole) {
        for (int i = whole; i < address.length; i++) {
            address[i] &= MASK;
        }
    }

    private static long crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }
}
