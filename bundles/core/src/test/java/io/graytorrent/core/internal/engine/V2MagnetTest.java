package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.TorrentStatus;
import io.graytorrent.core.internal.state.StateStore;
import io.graytorrent.core.internal.state.TorrentRecord;
import io.graytorrent.metainfo.MerkleProofs;
import io.graytorrent.metainfo.MerkleTree;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.MetainfoV2;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.metainfo.V2File;
import io.graytorrent.testkit.ScriptedPeer;
import io.graytorrent.testkit.Unit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 52 magnet links engine to engine, past the first download: the piece layers a v2 magnet link fetched
 * are kept with the torrent, so a restart verifies the data with no peer; a hybrid added by a btih-only link
 * answers handshakes under its v2 hash as soon as its metadata arrives, and fetches its piece layers from a peer
 * connected under that hash to answer v2 peers' hash requests; one added by a btmh-only link downloads under its
 * v2 hash.
 */
@Timeout(120)
@Unit
class V2MagnetTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PIECE = 32 * 1024;
    private static final int HASH_REQUEST = 21;
    private static final int HASHES = 22;
    private static final int HASH_REJECT = 23;

    @TempDir
    Path dir;

    /** Files of these sizes under seed/album, made into a torrent of {@code format} by our creator. */
    private byte[] torrent(TorrentCreator.Format format, long... sizes) throws IOException {
        TestData.multiFileTorrent(dir.resolve("seed"), "album", PIECE, 23, sizes);
        return TorrentCreator.forPath(dir.resolve("seed/album")).pieceLength(PIECE).format(format).create();
    }

    private static int addMagnet(EngineFixture engine, String link, Path saveDirectory) throws Exception {
        return engine.engine.add(AddTorrent.magnet(link, saveDirectory, false, List.of())).id();
    }

    /**
     * After a v2-only magnet link's download, the record's .torrent holds every piece layer (it parses as a
     * complete .torrent, layers checked against their roots, infohash unchanged). An engine started on that
     * record alone, without the storage's resume data and without any peer, hashes the files and seeds:
     * without the layers it could judge no piece of a file longer than one piece.
     */
    @Test
    void theLayersAV2MagnetLinkFetchedAreKeptSoARestartVerifiesWithoutPeers() throws Exception {
        byte[] torrent = torrent(TorrentCreator.Format.V2, 100_000, 5_000, 3 * PIECE, 1);
        MetainfoV2 v2 = new MetainfoParser().parse(torrent).v2().orElseThrow();
        Path leecherState = dir.resolve("leecher-state");
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder-state"))) {
            seeder.await(seeder.add(torrent, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            String link = "magnet:?xt=urn:btmh:1220" + v2.infoHash().toHex() + "&x.pe=127.0.0.1:"
                    + seeder.address().getPort();
            try (EngineFixture leecher = new EngineFixture(leecherState)) {
                leecher.await(addMagnet(leecher, link, dir.resolve("leech")), EngineFixture.seeding(), WAIT);
            }
        }
        TorrentRecord record = new StateStore(leecherState).loadAll().get(0);
        Metainfo kept = new MetainfoParser().parse(record.torrentFile()); // strict: every layer must be there
        assertEquals(v2.infoHash(), kept.v2().orElseThrow().infoHash());
        int withLayers = 0;
        for (int file = 0; file < v2.files().size(); file++) {
            byte[] layer = v2.files().get(file).pieceLayer();
            assertArrayEquals(layer, kept.v2().orElseThrow().files().get(file).pieceLayer(), "file " + file);
            withLayers += layer.length > 0 ? 1 : 0;
        }
        assertEquals(2, withLayers, "100 000 bytes and 3 pieces span more than one piece");

        Path freshState = dir.resolve("fresh-state"); // the records alone: no resume data, every piece hashed anew
        Files.createDirectories(freshState);
        try (var files = Files.list(leecherState)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("torrent-")
                    || f.getFileName().toString().equals("next-id")).toList()) {
                Files.copy(file, freshState.resolve(file.getFileName()));
            }
        }
        try (EngineFixture restarted = new EngineFixture(freshState)) {
            TorrentStatus seeding = restarted.await(1, EngineFixture.seeding(), WAIT);
            assertEquals(100_000 + 5_000 + 3 * PIECE + 1, seeding.verifiedBytes());
            assertEquals(List.of(), restarted.engine.peers("1"), "verified with no peer (the seeder is gone)");
        }
    }

    /**
     * A hybrid added by a link with only its v2 hash is on the wire under that hash from the start: its metadata (a
     * hybrid's) names the v1 hash too, which leaves its connections as they are (nothing to upgrade them to).
     */
    @Test
    void aHybridFromABtmhOnlyLinkDownloads() throws Exception {
        byte[] torrent = torrent(TorrentCreator.Format.HYBRID, 50_000, 40_000);
        MetainfoV2 v2 = new MetainfoParser().parse(torrent).v2().orElseThrow();
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder-state"));
             EngineFixture leecher = new EngineFixture(dir.resolve("leecher-state"))) {
            seeder.await(seeder.add(torrent, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            String link = "magnet:?xt=urn:btmh:1220" + v2.infoHash().toHex() + "&x.pe=127.0.0.1:"
                    + seeder.address().getPort();
            TorrentStatus done = leecher.await(addMagnet(leecher, link, dir.resolve("leech")), EngineFixture.seeding(), WAIT);
            assertEquals(90_000, done.verifiedBytes());
            TestData.assertSameTree(dir.resolve("seed/album"), dir.resolve("leech/album"));
        }
    }

    /**
     * A hybrid added by a link with only its v1 hash learns its v2 hash from the metadata: a peer handshaking
     * under the truncated v2 hash reaches it at once, no restart needed, and is served as by the one torrent.
     */
    @Test
    void aHybridFromABtihLinkAnswersHandshakesUnderItsV2HashOnceItsMetadataArrives() throws Exception {
        byte[] torrent = torrent(TorrentCreator.Format.HYBRID, 50_000, 40_000);
        Metainfo metainfo = new MetainfoParser().parse(torrent);
        MetainfoV2 v2 = metainfo.v2().orElseThrow();
        try (EngineFixture seeder = new EngineFixture(dir.resolve("seeder-state"));
             EngineFixture leecher = new EngineFixture(dir.resolve("leecher-state"))) {
            seeder.await(seeder.add(torrent, dir.resolve("seed")).id(), EngineFixture.seeding(), WAIT);
            String link = "magnet:?xt=urn:btih:" + metainfo.infoHash().toHex() + "&x.pe=127.0.0.1:"
                    + seeder.address().getPort();
            int id = addMagnet(leecher, link, dir.resolve("leech"));
            TorrentStatus done = leecher.await(id, EngineFixture.seeding(), WAIT);
            assertEquals(v2.infoHash().toHex(), done.infoHashV2().orElseThrow());

            byte[] v2Hash = v2.infoHash().truncated().toBytes();
            try (ScriptedPeer peer = ScriptedPeer.connect(leecher.address())) {
                peer.write(ScriptedPeer.handshakeBytes(v2Hash, ScriptedPeer.FAST));
                assertArrayEquals(v2Hash, peer.readHandshake(), "answered under the v2 hash");
                assertEquals(0x0E, peer.readUntil(0x0E)[0], "the same torrent, complete: HAVE_ALL");
                peer.send(2); // interested
                peer.readUntil(1); // unchoke
                assertArrayEquals(Arrays.copyOfRange(Files.readAllBytes(dir.resolve("seed/album/file0.bin")), PIECE,
                        2 * PIECE), peer.downloadPiece(1, PIECE));
            }
            // the piece layers: the engine asks a peer connected under the v2 hash (never the seeder, connected under
            // v1), which serves them; then it answers that peer's own hash requests from them
            try (ScriptedPeer peer = ScriptedPeer.connect(leecher.address())) {
                peer.write(ScriptedPeer.handshakeBytes(v2Hash, ScriptedPeer.FAST));
                peer.readHandshake();
                peer.send(0x0F); // HAVE_NONE: in the swarm, so it may be asked
                int pieceLayer = MerkleTree.pieceLayer(PIECE);
                for (int answered = 0; answered < v2.files().size(); answered++) {
                    byte[] request = Arrays.copyOfRange(peer.readUntil(HASH_REQUEST), 1, 49);
                    V2File file = v2.files().stream().filter(f -> Arrays.equals(f.piecesRoot(),
                            Arrays.copyOf(request, 32))).findFirst().orElseThrow();
                    peer.send(HASHES, concat(request, MerkleProofs.answer(file.pieceLayer(), pieceLayer,
                            requestOf(request)).orElseThrow()));
                }
                for (V2File file : v2.files()) {
                    int pieces = Math.toIntExact(file.pieceCount(PIECE));
                    MerkleProofs.Request request = MerkleProofs.pieceLayerRequests(pieceLayer, pieces).get(0);
                    byte[] hashes = askForHashes(peer, file.piecesRoot(), request);
                    byte[] proved = MerkleProofs.verify(file.piecesRoot(), MerkleProofs.height(pieceLayer, pieces),
                            request, hashes).orElseThrow(() -> new AssertionError("hashes that do not prove"));
                    assertArrayEquals(file.pieceLayer(), Arrays.copyOf(proved, pieces * MerkleTree.HASH_LENGTH));
                }
            }
        }
    }

    private static MerkleProofs.Request requestOf(byte[] fields) {
        ByteBuffer numbers = ByteBuffer.wrap(fields, 32, 16);
        return new MerkleProofs.Request(numbers.getInt(), numbers.getInt(), numbers.getInt(), numbers.getInt());
    }

    /** Asks {@code peer}'s engine for {@code request}'s hashes until it answers with them (fails after {@link #WAIT}). */
    private static byte[] askForHashes(ScriptedPeer peer, byte[] root, MerkleProofs.Request request) throws Exception {
        byte[] fields = ByteBuffer.allocate(48).put(root).putInt(request.baseLayer()).putInt(request.index())
                .putInt(request.length()).putInt(request.proofLayers()).array();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            peer.send(HASH_REQUEST, fields);
            byte[] message;
            do {
                message = peer.readMessage();
            } while (message.length == 0 || (message[0] != HASHES && message[0] != HASH_REJECT));
            assertArrayEquals(fields, Arrays.copyOfRange(message, 1, 49), "the answer names the request");
            if (message[0] == HASHES) {
                return Arrays.copyOfRange(message, 49, message.length);
            }
            Thread.sleep(100); // rejected: the layer is not in yet
        }
        throw new AssertionError("the engine never answered with the piece layer's hashes");
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
