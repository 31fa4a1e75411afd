package io.graytorrent.storage;

import io.graytorrent.api.FilePriority;
import static io.graytorrent.storage.TorrentStorageTest.await;
import static io.graytorrent.storage.TorrentStorageTest.writeAll;
import static io.graytorrent.storage.TorrentStorageTest.writeAndVerify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resume records: what a restart trusts, what it re-hashes, what it drops. */
@Unit
class ResumeTest {
    // piece length 16: a = pieces 0-1, b = pieces 1-3, c = pieces 3-4 (the last one short)
    private static final String[] LAYOUT = {"a:20", "b:30", "c:20"};

    @TempDir
    Path home;
    @TempDir
    Path downloads;

    private final TestTorrent torrent = TestTorrent.of("r", 16, 11, LAYOUT);

    private final List<StorageService> services = new java.util.ArrayList<>();

    @AfterEach
    void closeServices() {
        services.forEach(StorageService::close);
    }

    /** Each open is a fresh service, as after a restart. */
    private TorrentStorage open(List<FilePriority> priorities) {
        StorageService service = Storages.create(StorageConfig.defaults(home.resolve("state")));
        services.add(service);
        return await(service.open(torrent.metainfo, downloads, priorities));
    }

    private TorrentStorage completeAndClose() {
        TorrentStorage storage = open(List.of());
        writeAll(storage, torrent);
        await(storage.closeAsync());
        return storage;
    }

    private static BitSet pieces(int... indexes) {
        BitSet set = new BitSet();
        for (int index : indexes) {
            set.set(index);
        }
        return set;
    }

    /** Flips one byte of a file, then puts its mtime back: the change is invisible to the stamps. */
    private static void corruptKeepingStamp(Path file, int at) throws Exception {
        FileTime mtime = Files.getLastModifiedTime(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[at] ^= 1;
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, mtime);
    }

    @Test
    void theRecordIsWrittenUnderTheStateDirectoryByInfohash() {
        completeAndClose();
        assertTrue(Files.isRegularFile(home.resolve("state").resolve(torrent.metainfo.infoHash().toHex() + ".resume")));
    }

    @Test
    void matchingStampsAreTrustedWithoutRehashing() throws Exception {
        completeAndClose();
        corruptKeepingStamp(downloads.resolve("r/a"), 3);
        // a re-hash would drop piece 0; fast resume trusts the record instead
        assertEquals(pieces(0, 1, 2, 3, 4), open(List.of()).verifiedPieces());
    }

    @Test
    void onlyPiecesOfChangedFilesAreRehashed() throws Exception {
        completeAndClose();
        corruptKeepingStamp(downloads.resolve("r/a"), 3);
        Path c = downloads.resolve("r/c");
        byte[] bytes = Files.readAllBytes(c);
        bytes[15] ^= 1; // c starts at offset 50: byte 65 is in piece 4
        Files.write(c, bytes);
        Files.setLastModifiedTime(c, FileTime.fromMillis(Files.getLastModifiedTime(c).toMillis() + 5_000));
        // piece 4 is bad and dropped; piece 3 (shared with b) is re-hashed and good; a is not re-hashed
        assertEquals(pieces(0, 1, 2, 3), open(List.of()).verifiedPieces());
    }

    @Test
    void aMissingFileMeansMissingPieces() throws Exception {
        completeAndClose();
        Files.delete(downloads.resolve("r/b"));
        assertEquals(pieces(0, 4), open(List.of()).verifiedPieces());
    }

    @Test
    void aTruncatedFileMeansMissingPiecesNotZeros() throws Exception {
        completeAndClose();
        Files.write(downloads.resolve("r/c"), new byte[0]);
        assertEquals(pieces(0, 1, 2), open(List.of()).verifiedPieces());
    }

    @Test
    void aDamagedRecordIsIgnoredAndTheDataRehashed() throws Exception {
        completeAndClose();
        Path record = home.resolve("state").resolve(torrent.metainfo.infoHash().toHex() + ".resume");
        Files.write(record, "d7:versioni1e4:junk".getBytes());
        corruptKeepingStamp(downloads.resolve("r/a"), 3);
        assertEquals(pieces(1, 2, 3, 4), open(List.of()).verifiedPieces());
    }

    @Test
    void prioritiesAndPartialProgressSurviveARestart() {
        List<FilePriority> priorities = List.of(FilePriority.HIGH, FilePriority.SKIP, FilePriority.LOW);
        TorrentStorage storage = open(priorities);
        writeAndVerify(storage, torrent, 0);
        writeAndVerify(storage, torrent, 4);
        await(storage.checkpoint());
        await(storage.closeAsync());
        TorrentStorage reopened = open(List.of());
        assertEquals(priorities, reopened.filePriorities());
        assertEquals(pieces(0, 4), reopened.verifiedPieces());
    }

    @Test
    void aPieceVerifiedAfterTheLastCheckpointIsNotInTheRecord() throws Exception {
        TorrentStorage storage = open(List.of());
        writeAndVerify(storage, torrent, 0);
        await(storage.checkpoint());
        Path record = home.resolve("state").resolve(torrent.metainfo.infoHash().toHex() + ".resume");
        byte[] checkpointed = Files.readAllBytes(record);
        writeAndVerify(storage, torrent, 4);
        // the record on disk is still the checkpoint's: piece 4 is only in memory
        assertEquals(new String(checkpointed, java.nio.charset.StandardCharsets.ISO_8859_1),
                new String(Files.readAllBytes(record), java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(pieces(0, 4), storage.verifiedPieces());
    }
}
