package io.graytorrent.core.internal.stall;

import io.graytorrent.api.DhtStatus;
import io.graytorrent.api.Stall;
import io.graytorrent.api.TrackerStatus;
import io.graytorrent.api.WebSeedStatus;
import io.graytorrent.peerwire.PeerConnectException.Reason;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Names the likeliest reason a torrent is stuck from a {@link Situation}: closest to the data first
 * (the disk, web seeds asked for data, then connected peers), then web seeds that fail, the peers we
 * cannot reach, then where peers come from (trackers, the DHT).
 */
public final class StallDiagnosis {
    private static final int MAX_NAMED = 3;

    private StallDiagnosis() {
    }

    /** The diagnosis and its one-line message. */
    public record Finding(Stall.Kind kind, String message) {
    }

    public static Finding diagnose(Situation s) {
        if (s.routeDown().isPresent()) {
            // no fallback to another interface: no peer, no tracker is reachable until it is back
            return new Finding(Stall.Kind.PEERS_REFUSED, "nothing is sent: " + s.routeDown().get());
        }
        if (s.diskPaused()) {
            return new Finding(Stall.Kind.WAITING_FOR_DISK,
                    "waiting for the disk: reading from peers is paused until the writes catch up");
        }
        List<WebSeedStatus> seeds = s.sources().webSeeds();
        if (seeds.isEmpty()) {
            return fromPeers(s);
        }
        // a seed asked again after a failure, still without progress, fails as before: it is not "asked"
        List<WebSeedStatus> asked = seeds.stream()
                .filter(seed -> seed.state().equals("downloading") && seed.lastError().isEmpty()).toList();
        if (!asked.isEmpty()) {
            return new Finding(Stall.Kind.NOTHING_ARRIVES, (asked.size() == 1 ? "the web seed is" : "the web seeds are")
                    + " asked for data, but nothing arrives: " + describe(asked));
        }
        Finding peers = fromPeers(s);
        if (s.connected() > 0) {
            return new Finding(peers.kind(), peers.message() + "; " + webSeedsFail(seeds));
        }
        return new Finding(Stall.Kind.WEB_SEEDS_FAILING, webSeedsFail(seeds) + "; " + peers.message());
    }

    private static Finding fromPeers(Situation s) {
        if (s.connected() > 0 && s.unchokingUs() == 0) {
            return new Finding(Stall.Kind.ALL_CHOKING, peers(s.connected()) + " connected, all choking us:"
                    + " they serve others first; waiting for one to unchoke us");
        }
        if (s.connected() > 0) {
            return new Finding(Stall.Kind.NOTHING_ARRIVES, peers(s.connected()) + " connected (" + s.unchokingUs()
                    + " unchoking us), but nothing arrives: they may lack what is missing");
        }
        int failed = s.dialFailures().values().stream().mapToInt(Integer::intValue).sum();
        if (failed > 0) {
            return new Finding(Stall.Kind.PEERS_REFUSED, refused(s.knownPeers(), s.dialFailures()));
        }
        Situation.Sources sources = s.sources();
        boolean dhtWorks = sources.dht().map(StallDiagnosis::nodes).orElse(0) > 0;
        List<TrackerStatus> trackers = s.trackers();
        if (trackers.isEmpty()) {
            if (s.knownPeers() > 0) {
                return new Finding(dhtWorks ? Stall.Kind.NO_PEERS_LISTED : Stall.Kind.NO_PEER_SOURCE,
                        peers(s.knownPeers()) + " known, none connected yet; no tracker to find others, and " + dht(sources));
            }
            if (dhtWorks) {
                return new Finding(Stall.Kind.NO_PEERS_LISTED, "no trackers and no peers given, and " + dht(sources));
            }
            return new Finding(Stall.Kind.NO_PEER_SOURCE,
                    "no way to find peers: no trackers, no peers given (--peer, x.pe), and " + dht(sources));
        }
        String dhtToo = sources.dht().isPresent() ? "; " + dht(sources) : "";
        if (trackers.stream().anyMatch(t -> t.status().startsWith("working"))) {
            return new Finding(Stall.Kind.NO_PEERS_LISTED, "the trackers answer but list no peers we could use" + dhtToo);
        }
        return new Finding(Stall.Kind.TRACKERS_FAILING, trackersFailing(trackers) + dhtToo);
    }

    /** What the DHT does for this torrent, as the end of a sentence. */
    private static String dht(Situation.Sources sources) {
        if (sources.privateTorrent()) {
            return "a private torrent does not use the DHT";
        }
        if (sources.dht().isEmpty()) {
            return "no DHT";
        }
        DhtStatus status = sources.dht().get();
        int nodes = nodes(status);
        if (nodes == 0) {
            return "the DHT has no nodes: no bootstrap node answered (bootstrapNodes in io.graytorrent.dht.cfg, --dht-node)";
        }
        String table = "the DHT (" + nodes + (nodes == 1 ? " node" : " nodes") + ", " + status.lookupsRunning()
                + (status.lookupsRunning() == 1 ? " lookup" : " lookups") + " running)";
        return sources.dhtPeers() == 0 ? table + " has found no peers for it yet"
                : table + " found " + peers((int) Math.min(Integer.MAX_VALUE, sources.dhtPeers())) + " for it";
    }

    private static int nodes(DhtStatus status) {
        return status.ipv4().nodes() + status.ipv6().nodes();
    }

    private static String webSeedsFail(List<WebSeedStatus> seeds) {
        return (seeds.size() == 1 ? "the web seed fails: " : "the web seeds fail: ") + describe(seeds);
    }

    /**
     * Each seed's URL, state and last error; {@code idle} here means it holds none of what is missing,
     * and a seed downloading again after an error is retrying.
     */
    private static String describe(List<WebSeedStatus> seeds) {
        String named = seeds.stream().limit(MAX_NAMED)
                .map(seed -> seed.url() + " " + switch (seed.state()) {
                    case "idle" -> "holds none of what is missing";
                    case "downloading" -> seed.lastError().isPresent() ? "retrying" : "downloading";
                    default -> seed.state();
                } + seed.lastError().map(error -> " (" + error + ")").orElse(""))
                .collect(Collectors.joining("; "));
        return seeds.size() > MAX_NAMED ? named + "; " + (seeds.size() - MAX_NAMED) + " more" : named;
    }

    private static String refused(int known, Map<Reason, Integer> failures) {
        String counts = failures.entrySet().stream()
                .sorted(Map.Entry.<Reason, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getValue() + " " + describe(e.getKey()))
                .collect(Collectors.joining(", "));
        Reason most = failures.entrySet().stream().max(Map.Entry.<Reason, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow().getKey();
        return peers(known) + " known, none connects (" + counts + ")" + likelyCause(most);
    }

    private static String describe(Reason reason) {
        return switch (reason) {
            case UNREACHABLE -> "unreachable";
            case CLOSED -> "closed after our handshake";
            case RESET -> "reset during the handshake";
            case TIMEOUT -> "never answered the handshake";
            case WRONG_INFOHASH -> "answered for another torrent";
            case NOT_BITTORRENT -> "not BitTorrent";
            case OURSELVES -> "our own address";
            case LIMIT -> "not dialled: our half-open limit";
            case OTHER -> "failed";
        };
    }

    private static String likelyCause(Reason reason) {
        return switch (reason) {
            case CLOSED, RESET -> ": they hang up on our plaintext handshake, they may require encryption";
            case NOT_BITTORRENT -> ": they may require encryption, or are not BitTorrent peers";
            case UNREACHABLE -> ": nothing listens there, or a firewall is in the way";
            case TIMEOUT -> ": they accept connections but never answer";
            case WRONG_INFOHASH -> ": they serve another torrent";
            default -> "";
        };
    }

    /** Only trackers that failed are named: the others were not tried yet, or are still being asked. */
    private static String trackersFailing(List<TrackerStatus> trackers) {
        List<String> failing = trackers.stream()
                .filter(t -> t.lastError().isPresent() || t.status().startsWith("no client"))
                .map(t -> t.url() + ": " + t.lastError().orElse(t.status()))
                .toList();
        if (failing.isEmpty()) {
            return "no tracker has answered yet (" + trackers.size() + (trackers.size() == 1 ? " tracker)" : " trackers)");
        }
        String more = failing.size() > MAX_NAMED ? "; " + (failing.size() - MAX_NAMED) + " more" : "";
        return (trackers.size() == 1 ? "the tracker fails: " : "the trackers fail: ")
                + String.join("; ", failing.subList(0, Math.min(failing.size(), MAX_NAMED))) + more;
    }

    private static String peers(int count) {
        return count == 1 ? "1 peer" : count + " peers";
    }
}
