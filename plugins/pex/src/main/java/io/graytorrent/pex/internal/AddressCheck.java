package io.graytorrent.pex.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Which peers a PEX message may hand us: never port 0, an unspecified, multicast or broadcast
 * address, nor our own listener; a loopback address only from a peer on loopback and a private
 * (site- or link-local) one only from a peer on a local network itself, as libtorrent does, so that
 * a stranger cannot point us at the machines around us.
 */
final class AddressCheck {
    private static final byte[] BROADCAST = {(byte) 255, (byte) 255, (byte) 255, (byte) 255};

    private final Predicate<InetSocketAddress> ours;

    /** {@code ours} says whether an address reaches our own listener. */
    AddressCheck(Predicate<InetSocketAddress> ours) {
        this.ours = ours;
    }

    boolean acceptable(InetSocketAddress candidate, InetSocketAddress sender) {
        InetAddress ip = candidate.getAddress();
        if (candidate.getPort() == 0 || ip == null || ip.isAnyLocalAddress() || ip.isMulticastAddress()
                || ip instanceof Inet4Address && Arrays.equals(ip.getAddress(), BROADCAST)
                || candidate.equals(sender) || ours.test(candidate)) {
            return false;
        }
        InetAddress from = sender.getAddress();
        if (ip.isLoopbackAddress()) {
            return from.isLoopbackAddress();
        }
        if (isLocalNetwork(ip)) {
            return from.isLoopbackAddress() || isLocalNetwork(from);
        }
        return true;
    }

    private static boolean isLocalNetwork(InetAddress ip) {
        return ip.isSiteLocalAddress() || ip.isLinkLocalAddress();
    }
}
