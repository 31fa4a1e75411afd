package io.graytorrent.dht.internal;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Our external address as the nodes answering us report it (the {@code ip} key, BEP 42). One node
 * could lie, so an address counts only once {@link #QUORUM} nodes on distinct IPs agree on it, and
 * then only while no other address has more such votes. Bounded: a few candidate addresses, each
 * with a capped set of voters. Not thread-safe.
 */
public final class ExternalAddressVotes {
    static final int QUORUM = 3;
    private static final int MAX_CANDIDATES = 8;
    private static final int MAX_VOTERS = 32;

    private final Map<InetAddress, Set<InetAddress>> votersByAddress = new HashMap<>();
    /** What our own gateway reports (port mapping), or null. */
    private InetAddress known;

    /** Our gateway reports {@code external}: our address while no quorum of voters agrees on one. */
    public void known(InetAddress external) {
        known = external;
    }

    /** {@code voter} said we are {@code reported}; a voter's later vote replaces its earlier one. */
    public void vote(InetAddress voter, InetAddress reported) {
        votersByAddress.values().forEach(voters -> voters.remove(voter));
        votersByAddress.values().removeIf(Set::isEmpty);
        Set<InetAddress> voters = votersByAddress.get(reported);
        if (voters == null) {
            if (votersByAddress.size() >= MAX_CANDIDATES) {
                return;
            }
            voters = new HashSet<>();
            votersByAddress.put(reported, voters);
        }
        if (voters.size() < MAX_VOTERS) {
            voters.add(voter);
        }
    }

    /** The address most voters agree on, once at least {@link #QUORUM} do; else what the gateway reported, if it did. */
    public Optional<InetAddress> address() {
        Optional<InetAddress> voted = votersByAddress.entrySet().stream().filter(e -> e.getValue().size() >= QUORUM)
                .max((a, b) -> Integer.compare(a.getValue().size(), b.getValue().size())).map(Map.Entry::getKey);
        return voted.isPresent() ? voted : Optional.ofNullable(known);
    }
}
