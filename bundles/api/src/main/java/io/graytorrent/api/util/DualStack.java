package io.graytorrent.api.util;

import io.graytorrent.api.AnnounceResponse;
import io.graytorrent.api.TrackerException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * BEP 7 as its current text has it: a tracker is announced to once for each address family we can
 * reach it on, each announce from our address of that family (the source address bound as the
 * {@link NetworkRoute} says, else chosen by the system for that family), so the tracker learns each
 * of our addresses from the packets themselves. The {@code ipv4=} and {@code ipv6=} parameters are
 * not sent: BEP 7 now discourages them, as they let anyone announce someone else's address. The
 * replies are merged into one, so peers of both families reach the torrent.
 */
public final class DualStack {
    private DualStack() {
    }

    /**
     * The addresses to announce to among {@code resolved}: the first of each family for which
     * {@code reachable} holds, IPv4 first. Empty when none is reachable.
     */
    public static List<InetAddress> targets(List<InetAddress> resolved, Predicate<InetAddress> reachable) {
        List<InetAddress> targets = new ArrayList<>();
        for (Class<? extends InetAddress> family : List.of(Inet4Address.class, Inet6Address.class)) {
            resolved.stream().filter(family::isInstance).filter(reachable).findFirst().ifPresent(targets::add);
        }
        return targets;
    }

    /**
     * Whether a packet to {@code target} could leave now by {@code route}: the route has a source
     * address for its family (a bound interface is up) and the system has a route to it. A UDP
     * socket's connect asks the kernel for the route without sending anything.
     */
    public static boolean reachable(InetAddress target, NetworkRoute route) {
        Optional<InetAddress> source;
        try {
            source = route.source(target);
        } catch (NetworkRoute.RouteDownException e) {
            return false;
        }
        try (DatagramChannel probe = DatagramChannel.open(target instanceof Inet6Address ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET)) {
            if (source.isPresent()) {
                probe.bind(new InetSocketAddress(source.get(), 0));
            }
            probe.connect(new InetSocketAddress(target, 1));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false; // no route, or no such family here
        }
    }

    /**
     * Announces to each of {@code targets} at once with {@code announce} and merges the replies
     * ({@link #merge}); fails with a {@link TrackerException} naming each family's failure when all fail.
     */
    public static CompletableFuture<AnnounceResponse> announceEach(List<InetAddress> targets,
            Function<InetAddress, CompletableFuture<AnnounceResponse>> announce) {
        List<CompletableFuture<AnnounceResponse>> each = targets.stream().map(announce).toList();
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).handle((all, ignored) -> {
            List<AnnounceResponse> replies = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < each.size(); i++) {
                try {
                    replies.add(each.get(i).join());
                } catch (CompletionException | CancellationException e) {
                    failures.add(family(targets.get(i)) + ": " + Completions.cause(e).getMessage());
                }
            }
            if (replies.isEmpty()) {
                throw new CompletionException(new TrackerException(String.join("; ", failures)));
            }
            return merge(replies, failures);
        });
    }

    /**
     * One reply from the replies of one tracker's families: every peer (once), the longer interval and
     * min interval (neither family is asked more often than it allows), the larger counts, the first
     * tracker id and external address, the warnings joined. {@code failures} (per family, e.g.
     * "IPv6: timed out") join the warnings: the announce worked, not everywhere.
     */
    public static AnnounceResponse merge(List<AnnounceResponse> replies, List<String> failures) {
        if (replies.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        Set<InetSocketAddress> peers = new LinkedHashSet<>();
        replies.forEach(reply -> peers.addAll(reply.peers()));
        Duration interval = replies.stream().map(AnnounceResponse::interval).max(Duration::compareTo).orElseThrow();
        Optional<Duration> minInterval = replies.stream().flatMap(reply -> reply.minInterval().stream())
                .max(Duration::compareTo);
        List<String> warnings = new ArrayList<>();
        replies.forEach(reply -> reply.warning().filter(w -> !warnings.contains(w)).ifPresent(warnings::add));
        warnings.addAll(failures);
        return new AnnounceResponse(interval, minInterval, List.copyOf(peers),
                max(replies.stream().map(AnnounceResponse::seeders).toList()),
                max(replies.stream().map(AnnounceResponse::leechers).toList()),
                warnings.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", warnings)),
                replies.stream().flatMap(reply -> reply.trackerId().stream()).findFirst(),
                replies.stream().flatMap(reply -> reply.externalIp().stream()).findFirst());
    }

    private static OptionalInt max(List<OptionalInt> values) {
        return values.stream().filter(OptionalInt::isPresent).mapToInt(OptionalInt::getAsInt).max();
    }

    /** "IPv4" or "IPv6", as messages name a family. */
    public static String family(InetAddress address) {
        return address instanceof Inet6Address ? "IPv6" : "IPv4";
    }

    /** The families of {@code addresses}, as messages name them. */
    public static String families(List<InetAddress> addresses) {
        return addresses.stream().map(DualStack::family).collect(Collectors.joining(" and "));
    }
}
