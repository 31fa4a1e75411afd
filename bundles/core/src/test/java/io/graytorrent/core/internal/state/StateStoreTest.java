package io.graytorrent.core.internal.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.api.InfoHash;
import io.graytorrent.api.SeedingGoals;
import io.graytorrent.api.TorrentOptions;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Unit
class StateStoreTest {
    @TempDir
    Path dir;

    private static TorrentRecord record(int id) {
        byte[] hash = new byte[20];
        hash[0] = (byte) id;
        return new TorrentRecord(id, InfoHash.of(hash), new byte[] {'d', 'e'}, Path.of("/data/x y"), true, 5L << 32, 7,
                List.of(new InetSocketAddress("127.0.0.1", 6881), InetSocketAddress.createUnresolved("::1", 51413)));
    }

    @Test
    void recordsSurviveAReopenAndIdsAreNeverHandedOutTwice() throws Exception {
        StateStore store = new StateStore(dir);
        assertEquals(1, store.allocateId());
        assertEquals(2, store.allocateId());
        store.save(record(2));
        store.save(record(2).withProgress(false, 1, 2, List.of()));

        StateStore reopened = new StateStore(dir);
        List<TorrentRecord> records = reopened.loadAll();
        assertEquals(1, records.size());
        TorrentRecord loaded = records.get(0);
        assertEquals(2, loaded.id());
        assertEquals(false, loaded.running());
        assertEquals(1, loaded.uploaded());
        assertEquals(3, reopened.allocateId(), "id 1 was handed out before, even though no record kept it");
        reopened.delete(2);
        assertEquals(List.of(), new StateStore(dir).loadAll());
    }

    @Test
    void aRecordRoundTripsItsFields() {
        TorrentRecord original = record(9);
        TorrentRecord decoded = TorrentRecord.decode(original.encode());
        assertEquals(original.infoHash(), decoded.infoHash());
        assertArrayEquals(original.torrentFile(), decoded.torrentFile());
        assertEquals(original.saveDirectory(), decoded.saveDirectory());
        assertEquals(5L << 32, decoded.uploaded());
        assertEquals(List.of("127.0.0.1:6881", "::1:51413"),
                decoded.peers().stream().map(p -> p.getHostString() + ":" + p.getPort()).toList());
    }

    @Test
    void aRecordKeepsItsOptionsItsSeedingTimeAndTheDirectoryItsDataMovedTo() {
        TorrentOptions options = new TorrentOptions(true, true,
                new SeedingGoals(2.5, SeedingGoals.GLOBAL, 3600, SeedingGoals.Action.REMOVE));
        TorrentRecord changed = record(3).withOptions(options).withSeedingSeconds(7200).withSaveDirectory(Path.of("/moved"));
        TorrentRecord decoded = TorrentRecord.decode(changed.withProgress(false, 1, 2, List.of()).encode());
        assertEquals(options, decoded.options());
        assertEquals(7200, decoded.seedingSeconds());
        assertEquals(Path.of("/moved"), decoded.saveDirectory());

        TorrentOptions following = new TorrentOptions(false, false, SeedingGoals.FOLLOW_GLOBAL);
        assertEquals(following, TorrentRecord.decode(record(3).withOptions(following).encode()).options());
        TorrentRecord older = TorrentRecord.decode(record(3).encode());
        assertEquals(TorrentOptions.DEFAULTS, older.options(), "a record without options: the defaults");
        assertEquals(0, older.seedingSeconds());
    }

    @Test
    void aMagnetRecordKeepsItsLinkUntilItsTorrentArrives() {
        TorrentRecord magnet = TorrentRecord.ofMagnet(4, InfoHash.of(new byte[20]), "magnet:?xt=urn:btih:" + "00".repeat(20),
                Path.of("/data"), true, List.of());
        TorrentRecord decoded = TorrentRecord.decode(magnet.encode());
        assertEquals(magnet.magnetUri(), decoded.magnetUri());
        assertEquals(null, decoded.torrentFile());
        TorrentRecord fetched = TorrentRecord.decode(decoded.withTorrentFile(new byte[] {'d', 'e'}).encode());
        assertArrayEquals(new byte[] {'d', 'e'}, fetched.torrentFile());
        assertEquals(null, fetched.magnetUri(), "from now on a .torrent like any other");
        assertEquals(4, fetched.id());
        assertThrows(IllegalArgumentException.class, () -> TorrentRecord.decode(
                "d10:downloadedi0e2:idi1e9:info-hash20:aaaaaaaaaaaaaaaaaaaa5:peersle7:runningi1e9:save-path1:/"
                        .concat("8:uploadedi0e7:versioni1ee").getBytes()),
                "a record with neither a .torrent nor a magnet link is damaged");
    }

    @Test
    void aDamagedRecordIsSkippedNotFatal() throws Exception {
        StateStore store = new StateStore(dir);
        store.save(record(1));
        Files.write(dir.resolve("torrent-2.record"), "d7:versioni1ee".getBytes());
        Files.write(dir.resolve("torrent-3.record"), "not bencode".getBytes());
        assertEquals(List.of(1), store.loadAll().stream().map(TorrentRecord::id).toList());
        assertThrows(IllegalArgumentException.class, () -> TorrentRecord.decode("le".getBytes()));
    }
}
