package io.graytorrent.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.TorrentState;
import io.graytorrent.core.internal.limit.RateLimits;
import io.graytorrent.core.internal.limit.TokenBucket;
import io.graytorrent.core.internal.metadata.MetadataExtension;
import io.graytorrent.core.internal.metadata.MetadataMessage;
import io.graytorrent.core.internal.metadata.MetadataParticipant;
import io.graytorrent.core.internal.state.TorrentRecord;
import io.graytorrent.core.internal.swarm.FakeConnection;
import io.graytorrent.core.internal.swarm.FakeStorage;
import io.graytorrent.metainfo.MagnetParser;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.ExtensionHandshake;
import io.graytorrent.peerwire.PeerMessage;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One torrent's phases with fake connections, a fake storage, a fake clock and a pool that runs
 * only when the test drains it, no sockets: a magnet link fetches its metadata, checks, downloads or
 * seeds, waits for a slot, or stops, and the connection that brought the metadata carries on.
 */
@Unit
class TorrentPhasesTest {
    private static final int PIECE_LENGTH = 32 * 1024;
    private static final int PIECES = 4;
    private static final InetSocketAddress SEEDER = new InetSocketAddress("127.0.0.1", 7000);

    @TempDir
    Path dir;
    private FakeEngine engine;
    private Metainfo metainfo;
    private final BitSet onDisk = new BitSet();

    @BeforeEach
    void torrent() throws Exception {
        Path file = dir.resolve("data.bin");
        Files.write(file, new byte[PIECES * PIECE_LENGTH]);
        metainfo = new MetainfoParser().parse(TorrentCreator.forPath(file).pieceLength(PIECE_LENGTH).create());
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void theConnectionThatBringsTheMetadataBringsTheDataToo() throws Exception {
        TorrentRuntime torrent = magnet(1);
        assertEquals(TorrentState.FETCHING_METADATA, torrent.status().state());
        FakeConnection seeder = connectTheDial(0);
        assertEquals(List.of(PeerMessage.HaveNone.INSTANCE), seeder.sent(PeerMessage.class), "availability first");

        giveMetadata(torrent, seeder);
        assertEquals(TorrentState.CHECKING, torrent.status().state());
        assertNull(seeder.closed, "the connection waits through the check");
        assertEquals(PIECES, torrent.activeEndpoint().orElseThrow().pieceCount(), "new handshakes know the count");
        assertNotNull(engine.saved.get(engine.saved.size() - 1).torrentFile(), "the record keeps the .torrent now");
        assertEquals(List.of(metainfo.infoHash()), engine.storage.opened.stream().map(Metainfo::infoHash).toList());

        openStorage();
        assertEquals(TorrentState.DOWNLOADING, torrent.status().state());
        assertEquals(PIECES, seeder.pieceCount, "the live connection learnt the piece count");
        // the wire delivers the availability it kept before the count: the swarm wants the seeder's pieces
        listener().onMessage(seeder, PeerMessage.HaveAll.INSTANCE);
        listener().onMessage(seeder, PeerMessage.Unchoke.INSTANCE);
        engine.runTasks();
        assertEquals(1, seeder.sent(PeerMessage.Interested.class).size());
        assertFalse(seeder.sent(PeerMessage.Request.class).isEmpty(), "data asked for over the same connection");
        assertNull(seeder.closed);
        assertEquals(1, engine.wire.dials.size(), "nobody was dialled again");
        assertEquals(1, torrent.peerStatuses().size());
    }

    @Test
    void aReadsBlocksHoldOffReadingTheConnectionUntilTheExecutorHandledThem() throws Exception {
        magnet(1);
        FakeConnection seeder = connectTheDial(0);
        // 5 MiB of blocks in one read, over the 4 MiB queued bound; nothing was requested before the metadata
        List<ByteBuf> blocks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            blocks.add(Unpooled.buffer(1 << 20).writerIndex(1 << 20));
        }
        List<PeerMessage> read = blocks.stream().<PeerMessage>map(block -> new PeerMessage.Piece(0, 0, block)).toList();

        listener().onMessages(seeder, read);
        assertFalse(seeder.reading, "the read's blocks are charged as it is handed over");
        engine.runTasks();
        assertTrue(seeder.reading, "and released once the executor handled them");
        assertTrue(blocks.stream().allMatch(block -> block.refCnt() == 0), "every block released");
        assertNull(seeder.closed);
    }

    @Test
    void dataFoundOnDiskIsAnnouncedAsHavesToTheCarriedOverConnection() throws Exception {
        TorrentRuntime torrent = magnet(1);
        FakeConnection seeder = connectTheDial(0);
        giveMetadata(torrent, seeder);
        onDisk.set(0);
        onDisk.set(2);
        openStorage();
        assertEquals(TorrentState.DOWNLOADING, torrent.status().state());
        assertEquals(List.of(0, 2), seeder.sent(PeerMessage.Have.class).stream().map(PeerMessage.Have::piece).toList(),
                "it heard HAVE_NONE before: no BITFIELD may follow");
        assertTrue(seeder.sent(PeerMessage.Bitfield.class).isEmpty());
    }

    @Test
    void aMagnetLinkWithoutASlotForItsDownloadGivesUpItsConnectionsAndWaits() throws Exception {
        TorrentRuntime torrent = magnet(0);
        FakeConnection seeder = connectTheDial(0);
        giveMetadata(torrent, seeder);
        openStorage();
        assertEquals(TorrentState.QUEUED, torrent.status().state());
        assertNotNull(seeder.closed);
        assertTrue(torrent.activeEndpoint().isEmpty(), "a queued torrent takes no connections");
    }

    @Test
    void stoppingWhileFetchingClosesTheConnectionsAndStartingDialsAgain() throws Exception {
        TorrentRuntime torrent = magnet(1);
        FakeConnection seeder = connectTheDial(0);
        torrent.stop();
        engine.runTasks();
        assertEquals(TorrentState.STOPPED, torrent.status().state());
        assertNotNull(seeder.closed);
        assertFalse(engine.saved.get(engine.saved.size() - 1).running(), "the record says stopped");
        torrent.start();
        engine.runTasks();
        assertEquals(TorrentState.FETCHING_METADATA, torrent.status().state());
        assertEquals(2, engine.wire.dials.size());
    }

    @Test
    void aPeerThatDoesNotAnswerForTheMetadataIsDroppedOnceTheFakeClockPassesTheTimeout() throws Exception {
        TorrentRuntime torrent = magnet(1);
        FakeConnection silent = connectTheDial(0);
        MetadataParticipant fetching = torrent.metadataParticipant().orElseThrow();
        fetching.peerOffers(silent, metainfo.info().length);
        engine.runTasks();
        assertEquals(1, silent.sentExtended.size(), "asked for the first piece");
        engine.clock.advance(TorrentRuntime.METADATA_REQUEST_TIMEOUT_MILLIS);
        // the real timer ticks every second; the time it reads is the fake clock's
        Await.until("the silent peer dropped", Duration.ofSeconds(10), () -> {
            engine.runTasks();
            return silent.closed != null;
        });
        assertTrue(silent.closed.misbehaviour());
    }

    @Test
    void aTorrentFileChecksThenDownloadsAndStops() throws Exception {
        engine = new FakeEngine(dir, 1);
        TorrentRecord record = new TorrentRecord(1, metainfo.infoHash(), metainfo.info(), dir, true, 0, 0, List.of(SEEDER));
        TorrentRuntime torrent = new TorrentRuntime(engine, record, metainfo, limits(), limits());
        torrent.open(List.of());
        engine.runTasks();
        assertEquals(TorrentState.CHECKING, torrent.status().state());
        assertTrue(engine.wire.dials.isEmpty(), "no connections while checking");
        openStorage();
        assertEquals(TorrentState.DOWNLOADING, torrent.status().state());
        assertEquals(PIECES, engine.wire.dials.get(0).endpoint().pieceCount());
        torrent.stop();
        engine.runTasks();
        assertEquals(TorrentState.STOPPED, torrent.status().state());
    }

    /** A running magnet link of the torrent with the seeder as its x.pe, with {@code downloadSlots}; opened. */
    private TorrentRuntime magnet(int downloadSlots) throws Exception {
        engine = new FakeEngine(dir, downloadSlots);
        String uri = "magnet:?xt=urn:btih:" + metainfo.infoHash().toHex() + "&dn=data.bin&x.pe=127.0.0.1:7000";
        TorrentRecord record = TorrentRecord.ofMagnet(1, metainfo.infoHash(), uri, dir, true, List.of(SEEDER));
        TorrentRuntime torrent = new TorrentRuntime(engine, record, new MagnetParser().parse(uri), limits(), limits());
        torrent.open(List.of());
        engine.runTasks();
        return torrent;
    }

    /** Completes dial {@code index} with a fast, extension-speaking connection offering ut_metadata. */
    private FakeConnection connectTheDial(int index) {
        FakeEngine.Dial dial = engine.wire.dials.get(index);
        assertEquals(0, dial.endpoint().pieceCount(), "a magnet link dials before it knows the piece count");
        FakeConnection connection = new FakeConnection(dial.address(), new Capabilities(true, true, false));
        connection.extensionHandshake = ExtensionHandshake.parse(("d1:md11:" + MetadataExtension.NAME + "i3ee13:metadata_sizei"
                + metainfo.info().length + "ee").getBytes(StandardCharsets.US_ASCII));
        dial.endpoint().listener().onConnected(connection);
        dial.outcome().complete(connection);
        engine.runTasks();
        return connection;
    }

    /** The peer offers the metadata and answers our one request with all of it. */
    private void giveMetadata(TorrentRuntime torrent, FakeConnection peer) {
        MetadataParticipant fetching = torrent.metadataParticipant().orElseThrow();
        byte[] info = metainfo.info();
        fetching.peerOffers(peer, info.length);
        engine.runTasks();
        assertEquals(1, peer.sentExtended.size());
        fetching.received(peer, new MetadataMessage.Data(0, info.length, info));
        engine.runTasks();
    }

    private void openStorage() {
        engine.storage.opening.complete(new FakeStorage(() -> metainfo, () -> onDisk));
        engine.runTasks();
    }

    private io.graytorrent.peerwire.PeerListener listener() {
        return engine.wire.dials.get(0).endpoint().listener();
    }

    private RateLimits limits() {
        return new RateLimits(new TokenBucket(0, engine.clock::nanos), new TokenBucket(0, engine.clock::nanos));
    }
}
