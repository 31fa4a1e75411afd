package io.graytorrent.dht.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One iterative lookup (BEP 5) of the K nodes closest to a target: it queries the closest
 * candidates it knows, a few at a time, learns closer ones from their answers, and finishes when
 * the K closest nodes that answered are known, that is when every candidate closer than the K-th
 * answered one has answered or failed. A query past its soft timeout frees its slot for another
 * but may still answer; past its hard timeout it failed. get_peers lookups also collect peers as
 * they arrive and the write token of each answering node. Candidates are bounded in number and
 * one per IP, so lying answers cannot grow a lookup. Not thread-safe.
 */
public final class Lookup {
    /** Most candidates kept; the farthest unqueried ones are dropped first. */
    static final int MAX_CANDIDATES = 64;
    /** Most queries one lookup sends, whatever its answers say. */
    static final int MAX_QUERIES = 96;
    /** Most peers one get_peers lookup collects. */
    static final int MAX_PEERS = 1000;

    /** Sends this lookup's query to a node; false if it cannot now (rate limit, too many pending), to retry later. */
    public interface QuerySender {
        boolean send(Lookup lookup, NodeInfo to);
    }

    private enum State { NEW, IN_FLIGHT, SLOW, ANSWERED, FAILED }

    private static final class Candidate {
        final NodeInfo node;
        State state = State.NEW;
        byte[] token;

        Candidate(NodeInfo node) {
            this.node = node;
        }
    }

    private final NodeId target;
    private final boolean getPeers;
    private final int parallelism;
    private final QuerySender sender;
    private final Consumer<List<InetSocketAddress>> onPeers;
    /** By id, closest to the target first. */
    private final TreeMap<NodeId, Candidate> candidates;
    private final Map<InetAddress, Candidate> byIp = new HashMap<>();
    /** Addresses once candidates, so a dropped or failed node is not taken up again. */
    private final Set<InetAddress> seen = new HashSet<>();
    private final Set<InetSocketAddress> peers = new LinkedHashSet<>();
    private int active;
    private int queriesSent;

    public Lookup(NodeId target, boolean getPeers, int parallelism, QuerySender sender,
            Consumer<List<InetSocketAddress>> onPeers) {
        this.target = target;
        this.getPeers = getPeers;
        this.parallelism = parallelism;
        this.sender = sender;
        this.onPeers = onPeers;
        this.candidates = new TreeMap<>(target::compareDistance);
    }

    public NodeId target() {
        return target;
    }

    public boolean isGetPeers() {
        return getPeers;
    }

    public void addCandidates(List<NodeInfo> nodes) {
        for (NodeInfo node : nodes) {
            InetAddress ip = node.address().getAddress();
            if (seen.size() >= MAX_CANDIDATES * 8 || !seen.add(ip) || candidates.containsKey(node.id())) {
                continue;
            }
            Candidate candidate = new Candidate(node);
            candidates.put(node.id(), candidate);
            byIp.put(ip, candidate);
            if (candidates.size() > MAX_CANDIDATES) {
                dropFarthestUnqueried();
            }
        }
    }

    /** Sends queries until {@code parallelism} are in flight (slow ones not counted) or none is worth sending. */
    public void step() {
        while (active < parallelism && queriesSent < MAX_QUERIES) {
            Candidate next = nextToQuery();
            if (next == null || !sender.send(this, next.node)) {
                return;
            }
            next.state = State.IN_FLIGHT;
            active++;
            queriesSent++;
        }
    }

    /** {@code from} answered; {@code closer} are the nodes it named, {@code values} the peers and {@code token} its write token. */
    public void answered(NodeInfo from, List<NodeInfo> closer, List<InetSocketAddress> values, byte[] token) {
        Candidate c = pending(from);
        if (c == null) {
            return;
        }
        release(c);
        c.state = State.ANSWERED;
        c.token = token;
        addCandidates(closer);
        List<InetSocketAddress> fresh = new ArrayList<>();
        for (InetSocketAddress peer : values) {
            if (peers.size() < MAX_PEERS && peers.add(peer)) {
                fresh.add(peer);
            }
        }
        if (!fresh.isEmpty()) {
            onPeers.accept(fresh);
        }
    }

    /** The query to {@code to} passed its soft timeout: its slot goes to another candidate. */
    public void slow(NodeInfo to) {
        Candidate c = pending(to);
        if (c != null && c.state == State.IN_FLIGHT) {
            c.state = State.SLOW;
            active--;
        }
    }

    /** The query to {@code to} passed its hard timeout or got an error. */
    public void failed(NodeInfo to) {
        Candidate c = pending(to);
        if (c != null) {
            release(c);
            c.state = State.FAILED;
        }
    }

    /** Done when no candidate closer than the K-th answered node is still unasked or pending. */
    public boolean isDone() {
        int answered = 0;
        for (Candidate c : candidates.values()) {
            if (answered >= RoutingTable.K) {
                return true;
            }
            if (c.state == State.ANSWERED) {
                answered++;
            } else if (c.state == State.IN_FLIGHT || c.state == State.SLOW
                    || (c.state == State.NEW && queriesSent < MAX_QUERIES)) {
                return false;
            }
        }
        return true;
    }

    /** The K closest nodes that answered, closest first. */
    public List<NodeInfo> closestAnswered() {
        return candidates.values().stream().filter(c -> c.state == State.ANSWERED).limit(RoutingTable.K)
                .map(c -> c.node).toList();
    }

    /** Of the K closest that answered, those that gave a write token, with it. */
    public Map<NodeInfo, byte[]> announceTargets() {
        Map<NodeInfo, byte[]> targets = new LinkedHashMap<>();
        candidates.values().stream().filter(c -> c.state == State.ANSWERED).limit(RoutingTable.K)
                .filter(c -> c.token != null).forEach(c -> targets.put(c.node, c.token));
        return targets;
    }

    public Set<InetSocketAddress> peers() {
        return Set.copyOf(peers);
    }

    public int queriesSent() {
        return queriesSent;
    }

    private Candidate nextToQuery() {
        int answered = 0;
        for (Candidate c : candidates.values()) {
            if (answered >= RoutingTable.K) {
                return null; // nothing farther can enter the result
            }
            if (c.state == State.ANSWERED) {
                answered++;
            } else if (c.state == State.NEW) {
                return c;
            }
        }
        return null;
    }

    private Candidate pending(NodeInfo node) {
        Candidate c = byIp.get(node.address().getAddress());
        boolean waiting = c != null && (c.state == State.IN_FLIGHT || c.state == State.SLOW);
        return waiting && c.node.equals(node) ? c : null;
    }

    private void release(Candidate c) {
        if (c.state == State.IN_FLIGHT) {
            active--;
        }
    }

    private void dropFarthestUnqueried() {
        for (Candidate c : candidates.descendingMap().values()) {
            if (c.state == State.NEW || c.state == State.FAILED) {
                candidates.remove(c.node.id());
                byIp.remove(c.node.address().getAddress());
                return;
            }
        }
    }
}
