package io.graytorrent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.testkit.Unit;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

@Unit
class TorrentStatusTest {

    private static TorrentStatus status(TorrentState state, long total, long wanted, long verified) {
        return new TorrentStatus(1, InfoHash.parse("c12fe1c06bba254a9dc9f519b335aa7c1367a88a"), "t", Path.of("d"), state,
                total, wanted, verified, 0, 0, 0, 0, 0, 0, OptionalLong.empty(), Optional.empty());
    }

    @Test
    void progressIsTheVerifiedShareOfTheWantedBytes() {
        assertEquals(0.25, status(TorrentState.DOWNLOADING, 2000, 1000, 250).progress());
        assertEquals(1.0, status(TorrentState.SEEDING, 2000, 0, 0).progress(), "every file skipped: nothing left to want");
    }

    @Test
    void aMagnetLinkWithoutItsMetadataHasNoProgressYet() {
        assertEquals(0.0, status(TorrentState.FETCHING_METADATA, 0, 0, 0).progress());
        assertEquals(0.0, status(TorrentState.STOPPED, 0, 0, 0).progress(), "stopped before its metadata came");
    }
}
