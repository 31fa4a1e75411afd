package io.graytorrent.tracker.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.api.AnnounceEvent;
import io.graytorrent.api.AnnounceRequest;
import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.Unit;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@Unit
class TrackerQueryTest {
    private static final InfoHash HASH = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");

    @Test
    void encodesRawBytesAndAppendsToAnExistingQuery() {
        AnnounceRequest request = new AnnounceRequest(URI.create("http://t.example:8080/announce?passkey=x"), HASH,
                "-GT0100-a b~c.d_e-f!".getBytes(StandardCharsets.ISO_8859_1), 6881, 10, 20, 30, AnnounceEvent.STARTED,
                -1, 0xbeef, Optional.of("id 1"));
        assertEquals("http://t.example:8080/announce?passkey=x&info_hash=%01%23Eg%89%AB%CD%EF%01%23Eg%89%AB%CD%EF%01%23Eg"
                + "&peer_id=-GT0100-a%20b~c.d_e-f%21&port=6881&uploaded=10&downloaded=20&left=30&compact=1&numwant=50"
                + "&key=beef&event=started&trackerid=id%201", TrackerQuery.announce(request).toString());
    }

    @Test
    void noEventParameterForARegularAnnounce() {
        AnnounceRequest request = new AnnounceRequest(URI.create("https://t.example/a"), HASH, new byte[20], 1, 0, 0, 0,
                AnnounceEvent.NONE, 30, 1, Optional.empty());
        assertEquals(false, TrackerQuery.announce(request).toString().contains("event="));
    }

    @Test
    void scrapeUrlsFollowBep48() {
        assertEquals(Optional.of(URI.create("http://t/scrape?x=1&info_hash=%01%23Eg%89%AB%CD%EF%01%23Eg%89%AB%CD%EF%01%23Eg")),
                TrackerQuery.scrape(URI.create("http://t/announce?x=1"), HASH));
        assertEquals("http://t/x/scrape.php", TrackerQuery.scrape(URI.create("http://t/x/announce.php"), HASH)
                .orElseThrow().toString().split("\\?")[0]);
        assertEquals(Optional.empty(), TrackerQuery.scrape(URI.create("http://t/a"), HASH));
        assertEquals(Optional.empty(), TrackerQuery.scrape(URI.create("http://t/announce/x"), HASH));
    }
}
