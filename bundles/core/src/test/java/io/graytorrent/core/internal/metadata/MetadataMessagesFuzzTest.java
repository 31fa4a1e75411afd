package io.graytorrent.core.internal.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.api.InfoHash;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.PeerProtocolException;
import io.graytorrent.testkit.Slow;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a peer sends us for ut_metadata (BEP 9), as a fetching torrent reads it: an extension
 * handshake whose {@code metadata_size} is offered to a {@link MetadataFetcher}, then a ut_metadata
 * message decoded and handed to that fetcher. The first input byte is the handshake's length, the
 * handshake follows, the message is the rest. A handshake or {@link PeerProtocolException}; a
 * message or {@link MetadataProtocolException}; the fetcher takes either without an exception and
 * allocates at most its size cap. Seeds live in
 * src/test/resources/io/graytorrent/core/internal/metadata/MetadataMessagesFuzzTestInputs/.
 */
@Slow
class MetadataMessagesFuzzTest {
    /** Three pieces: the fetcher may allocate a buffer of this size for an offer. */
    private static final int MAX_METADATA = 3 * MetadataMessage.PIECE_LENGTH;
    private static final AllocationBudget MEMORY = new AllocationBudget(MAX_METADATA + (64 << 10), 256);
    private static final InfoHash INFO_HASH = InfoHash.of(new byte[20]);
    private static final String PEER = "peer";

    /** Counts what the fetcher does to the peer; no drop or request may throw. */
    private static final class Peers implements MetadataFetcher.Peers<String> {
        int requests;
        int drops;

        @Override
        public void request(String peer, int piece) {
            assertTrue(piece >= 0 && piece < MetadataMessage.pieceCount(MAX_METADATA), "requested piece " + piece);
            requests++;
        }

        @Override
        public void drop(String peer, String reason, boolean penalise) {
            drops++;
        }
    }

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void decodesOrRejects(byte[] input) {
        MEMORY.check(input.length, () -> handle(input));
    }

    private static void handle(byte[] input) {
        int handshakeLength = input.length == 0 ? 0 : Math.min(input[0] & 0xFF, input.length - 1);
        byte[] handshake = Arrays.copyOfRange(input, Math.min(1, input.length), 1 + handshakeLength);
        byte[] message = Arrays.copyOfRange(input, Math.min(1 + handshakeLength, input.length), input.length);

        Peers peers = new Peers();
        MetadataFetcher<String> fetcher = new MetadataFetcher<>(INFO_HASH, MAX_METADATA, 10_000, peers);
        OptionalLong offered = offeredSize(handshake);
        boolean usable = offered.isPresent() && fetcher.peerOffers(PEER, offered.getAsLong(), 0);
        assertEquals(usable, offered.isPresent() && offered.getAsLong() <= MAX_METADATA, "offer of " + offered);
        Optional<MetadataMessage> decoded = decode(message);
        if (decoded.isPresent()) {
            assertRoundTrips(decoded.get());
            assertEquals(Optional.empty(), fetcher.received(PEER, decoded.get(), 1),
                    "nothing matches an infohash of zeros");
            fetcher.tick(20_000);
        }
        assertTrue(peers.drops <= 1, "one peer dropped " + peers.drops + " times");
    }

    /** The handshake's metadata_size: positive when present; a malformed handshake is a PeerProtocolException. */
    private static OptionalLong offeredSize(byte[] handshake) {
        try {
            OptionalLong size = ExtensionHandshake.parse(handshake).metadataSize();
            assertTrue(size.isEmpty() || size.getAsLong() > 0, "metadata_size " + size);
            return size;
        } catch (PeerProtocolException expected) {
            return OptionalLong.empty();
        }
    }

    private static Optional<MetadataMessage> decode(byte[] message) {
        try {
            return MetadataMessage.decode(message);
        } catch (MetadataProtocolException expected) {
            return Optional.empty();
        }
    }

    /** A decoded message is within BEP 9's bounds and encodes to bytes that decode to the same message. */
    private static void assertRoundTrips(MetadataMessage message) {
        assertTrue(message.piece() >= 0, "piece " + message.piece());
        MetadataMessage again;
        try {
            again = MetadataMessage.decode(message.encode()).orElseThrow();
        } catch (MetadataProtocolException e) {
            throw new AssertionError("a decoded message must decode again once encoded", e);
        }
        if (message instanceof MetadataMessage.Data data) {
            assertTrue(data.totalSize() >= 0 && data.data().length <= MetadataMessage.PIECE_LENGTH, "data " + data);
            MetadataMessage.Data dataAgain = (MetadataMessage.Data) again;
            assertEquals(List.of(data.piece(), data.totalSize()), List.of(dataAgain.piece(), dataAgain.totalSize()));
            assertArrayEquals(data.data(), dataAgain.data());
        } else {
            assertEquals(message, again);
        }
    }
}
