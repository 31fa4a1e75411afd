package io.graytorrent.core.internal.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.metainfo.MagnetLink;
import io.graytorrent.metainfo.MagnetParser;
import io.graytorrent.testkit.Unit;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fetcher against honest and hostile peers; peers are names, requests and drops are recorded. */
@Unit
class MetadataFetcherTest {
    private static final int PIECE = MetadataMessage.PIECE_LENGTH;
    private static final long TIMEOUT = 10_000;

    /** 40,000 bytes: pieces of 16384, 16384 and 7232. */
    private final byte[] info = new byte[2 * PIECE + 7232];
    private final InfoHash infoHash;
    private final Recorder peers = new Recorder();
    private final MetadataFetcher<String> fetcher;

    record Request(String peer, int piece) {
    }

    record Drop(String peer, String reason, boolean penalised) {
    }

    static final class Recorder implements MetadataFetcher.Peers<String> {
        final List<Request> requests = new ArrayList<>();
        final List<Drop> drops = new ArrayList<>();

        @Override
        public void request(String peer, int piece) {
            requests.add(new Request(peer, piece));
        }

        @Override
        public void drop(String peer, String reason, boolean penalise) {
            drops.add(new Drop(peer, reason, penalise));
        }

        List<Integer> piecesAskedOf(String peer) {
            return requests.stream().filter(r -> r.peer().equals(peer)).map(Request::piece).toList();
        }
    }

    MetadataFetcherTest() throws Exception {
        new Random(9).nextBytes(info);
        infoHash = InfoHash.of(MessageDigest.getInstance("SHA-1").digest(info));
        fetcher = new MetadataFetcher<>(infoHash, 1 << 20, TIMEOUT, peers);
    }

    private MetadataMessage.Data piece(int index) {
        return piece(index, info);
    }

    private static MetadataMessage.Data piece(int index, byte[] from) {
        return new MetadataMessage.Data(index, from.length,
                Arrays.copyOfRange(from, index * PIECE, Math.min(from.length, (index + 1) * PIECE)));
    }

    private void offerAll(long size, String... names) {
        for (String name : names) {
            assertTrue(fetcher.peerOffers(name, size, 0));
        }
    }

    @Test
    void fetchesFromSeveralPeersInParallelAndVerifiesTheWhole() throws Exception {
        byte[] big = new byte[9 * PIECE + 100];
        new Random(3).nextBytes(big);
        MetadataFetcher<String> parallel = new MetadataFetcher<>(
                InfoHash.of(MessageDigest.getInstance("SHA-1").digest(big)), 1 << 20, TIMEOUT, peers);
        for (String name : List.of("A", "B", "C")) {
            assertTrue(parallel.peerOffers(name, big.length, 0));
        }
        assertEquals(List.of(0, 1, 2, 3), peers.piecesAskedOf("A"), "at most 4 requests at one peer");
        assertEquals(List.of(4, 5, 6, 7), peers.piecesAskedOf("B"));
        assertEquals(List.of(8, 9), peers.piecesAskedOf("C"));
        for (int piece = 9; piece > 0; piece--) {
            assertTrue(parallel.received(owner(piece), piece(piece, big), 1).isEmpty());
        }
        assertArrayEquals(big, parallel.received(owner(0), piece(0, big), 2).orElseThrow());
        assertEquals(List.of(), peers.drops);
    }

    @Test
    void aV2OnlyLinkTakesMetadataWhoseSha256IsItsBtmhAndRefusesOtherBytes() throws Exception {
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(info));
        MagnetLink link = new MagnetParser().parse("magnet:?xt=urn:btmh:1220" + sha256);
        assertEquals(sha256.substring(0, 40), link.infoHash().toHex(), "the truncated hash goes on the wire");
        MetadataFetcher<String> v2 = new MetadataFetcher<>(link::matches, 1 << 20, TIMEOUT, peers);
        assertTrue(v2.peerOffers("seed", info.length, 0));
        v2.received("seed", piece(0), 1);
        v2.received("seed", piece(1), 1);
        assertArrayEquals(info, v2.received("seed", piece(2), 1).orElseThrow());
        assertEquals(List.of(), peers.drops);

        byte[] truncatedMatch = info.clone();
        truncatedMatch[info.length - 1] ^= 1; // another dictionary: its SHA-256 differs in every byte
        MetadataFetcher<String> fooled = new MetadataFetcher<>(link::matches, 1 << 20, TIMEOUT, peers);
        assertTrue(fooled.peerOffers("liar", info.length, 0));
        for (int piece = 0; piece < 3; piece++) {
            assertTrue(fooled.received("liar", piece(piece, truncatedMatch), 1).isEmpty());
        }
        assertEquals(List.of(new Drop("liar", "sent metadata that does not match the infohash", true)), peers.drops);
    }

    /** The peer the last request for {@code piece} went to. */
    private String owner(int piece) {
        return peers.requests.stream().filter(r -> r.piece() == piece).reduce((a, b) -> b).orElseThrow().peer();
    }

    @Test
    void aPeerJoiningLaterTakesOverWhatAnotherLeaves() {
        offerAll(info.length, "A", "B");
        assertEquals(List.of(0, 1, 2), peers.piecesAskedOf("A"), "A took every piece before B came");
        fetcher.peerGone("A", 1);
        assertEquals(List.of(0, 1, 2), peers.piecesAskedOf("B"), "A's requests go to B when A leaves");
        fetcher.received("B", piece(0), 2);
        fetcher.received("B", piece(2), 2);
        assertArrayEquals(info, fetcher.received("B", piece(1), 2).orElseThrow());
    }

    @Test
    void peersSharingMetadataThatFailsTheInfohashAreDroppedButNotPenalised() {
        offerAll(info.length, "liar", "honest");
        byte[] forged = info.clone();
        forged[5] ^= 1;
        fetcher.received("liar", piece(0, forged), 1);
        fetcher.received("liar", piece(2, forged), 1);
        fetcher.received("liar", new MetadataMessage.Reject(1), 1);
        assertEquals(List.of(1), peers.piecesAskedOf("honest"));
        assertTrue(fetcher.received("honest", piece(1), 1).isEmpty(), "the whole fails: nothing is returned");
        assertEquals(List.of(new Drop("liar", "shared in metadata that does not match the infohash", false),
                new Drop("honest", "shared in metadata that does not match the infohash", false)), peers.drops,
                "a whole of mixed origin proves nothing against one peer");
        assertEquals(0, fetcher.sourceCount());
    }

    @Test
    void aPeerAloneSendingMetadataThatFailsTheInfohashIsDroppedAndPenalised() {
        offerAll(info.length, "liar", "honest");
        byte[] forged = info.clone();
        forged[5] ^= 1;
        for (int piece = 0; piece < 3; piece++) {
            assertTrue(fetcher.received("liar", piece(piece, forged), 1).isEmpty());
        }
        assertEquals(List.of(new Drop("liar", "sent metadata that does not match the infohash", true)), peers.drops);
        assertEquals(List.of(0, 1, 2), peers.piecesAskedOf("honest"), "the pieces are asked of the others again");
    }

    @Test
    void afterAFailedWholeThePiecesAreFetchedAgainFromWhoIsLeft() {
        offerAll(info.length, "liar");
        byte[] forged = info.clone();
        forged[0] ^= 1;
        for (int piece = 0; piece < 3; piece++) {
            fetcher.received("liar", piece(piece, forged), 1);
        }
        peers.requests.clear();
        fetcher.peerOffers("honest", info.length, 2);
        assertEquals(List.of(0, 1, 2), peers.piecesAskedOf("honest"));
        fetcher.received("honest", piece(0), 3);
        fetcher.received("honest", piece(1), 3);
        assertArrayEquals(info, fetcher.received("honest", piece(2), 3).orElseThrow());
    }

    @Test
    void wrongTotalSizePieceOutOfRangeAndWrongLengthsDropThePeer() {
        offerAll(info.length, "A", "B", "C", "D");
        fetcher.received("A", new MetadataMessage.Data(0, info.length + 1, piece(0).data()), 1);
        fetcher.received("B", new MetadataMessage.Data(3, info.length, new byte[10]), 1);
        fetcher.received("C", new MetadataMessage.Data(0, info.length, new byte[PIECE - 1]), 1);
        fetcher.received("D", new MetadataMessage.Data(2, info.length, new byte[7233]), 1);
        assertEquals(List.of("A", "B", "C", "D"), peers.drops.stream().map(Drop::peer).toList());
        assertTrue(peers.drops.get(0).reason().contains("total_size 40001 differs"), peers.drops.get(0).reason());
        assertTrue(peers.drops.get(1).reason().contains("piece 3 out of range (3 pieces)"), peers.drops.get(1).reason());
        assertTrue(peers.drops.get(2).reason().contains("piece 0 has 16383 bytes, not 16384"), peers.drops.get(2).reason());
        assertTrue(peers.drops.get(3).reason().contains("piece 2 has 7233 bytes, not 7232"), peers.drops.get(3).reason());
        assertTrue(peers.drops.stream().noneMatch(Drop::penalised));
        assertEquals(0, fetcher.sourceCount());
    }

    @Test
    void aSizeOverTheCapIsNotFetched() {
        MetadataFetcher<String> capped = new MetadataFetcher<>(infoHash, info.length - 1, TIMEOUT, peers);
        assertFalse(capped.peerOffers("A", info.length, 0));
        assertFalse(capped.peerOffers("B", Long.MAX_VALUE, 0));
        assertEquals(List.of(), peers.requests);
        assertEquals(0, capped.sourceCount());
        assertTrue(capped.size().isEmpty(), "nothing allocated for a claim over the cap");
    }

    @Test
    void aPeerLeavingRequestsUnansweredIsDroppedAndTheyGoToAnotherPeer() {
        offerAll(info.length, "slow");
        fetcher.peerOffers("fast", info.length, 5);
        assertEquals(List.of(), peers.piecesAskedOf("fast"));
        fetcher.tick(TIMEOUT - 1);
        assertEquals(List.of(), peers.piecesAskedOf("fast"), "not yet");
        fetcher.tick(TIMEOUT);
        assertEquals(List.of(new Drop("slow", "left a ut_metadata request unanswered for 10000 ms", false)), peers.drops);
        assertEquals(List.of(0, 1, 2), peers.piecesAskedOf("fast"));
        assertEquals(1, fetcher.sourceCount());
        fetcher.received("slow", piece(0), TIMEOUT + 1); // too late: no longer a source, ignored
        fetcher.received("fast", piece(0), TIMEOUT + 1);
        fetcher.received("fast", piece(1), TIMEOUT + 1);
        assertArrayEquals(info, fetcher.received("fast", piece(2), TIMEOUT + 1).orElseThrow());
        assertEquals(1, peers.drops.size());
    }

    @Test
    void silentPeersAreDroppedAtTheirRequestsDeadlineAndNeverAskedAgain() {
        offerAll(info.length, "silent1", "silent2", "silent3");
        fetcher.peerOffers("honest", info.length, 0);
        assertEquals(List.of(0, 1, 2), peers.piecesAskedOf("silent1"), "the first took every piece");
        fetcher.tick(TIMEOUT);
        assertEquals(List.of("silent1"), peers.drops.stream().map(Drop::peer).toList());
        assertEquals(List.of(0), peers.piecesAskedOf("silent2"), "spread over the others, least busy first");
        assertEquals(List.of(1), peers.piecesAskedOf("silent3"));
        assertEquals(List.of(2), peers.piecesAskedOf("honest"));
        assertTrue(fetcher.received("honest", piece(2), TIMEOUT + 1).isEmpty());
        fetcher.tick(2 * TIMEOUT);
        assertEquals(List.of("silent1", "silent2", "silent3"), peers.drops.stream().map(Drop::peer).toList());
        assertEquals(List.of(0, 1, 2), peers.piecesAskedOf("silent1"), "a dropped peer is not asked again");
        assertEquals(List.of(2, 0, 1), peers.piecesAskedOf("honest"));
        fetcher.received("honest", piece(0), 2 * TIMEOUT + 1);
        assertArrayEquals(info, fetcher.received("honest", piece(1), 2 * TIMEOUT + 1).orElseThrow());
    }

    @Test
    void aPeerAnnouncingAnotherSizeAndNeverAnsweringDoesNotStallTheOthers() {
        fetcher.peerOffers("silent", info.length + 100, 0);
        fetcher.peerOffers("honest", info.length, 0);
        assertEquals(List.of(), peers.piecesAskedOf("honest"), "the first size offered is tried first");
        fetcher.tick(TIMEOUT);
        assertEquals(List.of(0, 1, 2), peers.piecesAskedOf("honest"), "then the size others offer");
        fetcher.received("honest", piece(0), TIMEOUT + 1);
        fetcher.received("honest", piece(1), TIMEOUT + 1);
        assertArrayEquals(info, fetcher.received("honest", piece(2), TIMEOUT + 1).orElseThrow());
    }

    @Test
    void aRejectSendsThePieceElsewhereAndUnaskedDataIsIgnored() {
        offerAll(info.length, "A");
        fetcher.peerOffers("B", info.length, 0);
        fetcher.received("A", new MetadataMessage.Reject(1), 1);
        assertEquals(List.of(1), peers.piecesAskedOf("B"));
        fetcher.received("B", piece(0), 1); // piece 0 was asked of A, not B
        fetcher.received("stranger", piece(0), 1);
        fetcher.received("A", new MetadataMessage.Request(0), 1);
        assertEquals(List.of(), peers.drops);
        fetcher.received("A", piece(0), 2);
        fetcher.received("A", piece(2), 2);
        assertArrayEquals(info, fetcher.received("B", piece(1), 2).orElseThrow());
    }
}
