package io.graytorrent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.api.TrackerStatus;
import io.graytorrent.api.WebSeedStatus;
import io.graytorrent.metainfo.MetainfoParser;
import io.graytorrent.metainfo.ParsedTorrent;
import io.graytorrent.metainfo.TorrentCreator;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

@Unit
class FormattingTest {

    @Test
    void tablesAlignColumnsAndRightAlignNumbers() {
        String table = new Table(">ID", "NAME", ">SIZE").row(1, "ubuntu.iso", "4.0 GiB").row(12, "x", "1 B").toString();
        assertEquals(String.join("\n",
                "ID  NAME" + " ".repeat(11) + "SIZE",
                " 1  ubuntu.iso  4.0 GiB",
                "12  x" + " ".repeat(15) + "1 B"), table);
        assertThrows(IllegalArgumentException.class, () -> new Table("A", "B").row("only one"));
    }

    @Test
    void labelledLinesAlignValuesPastTheLongestLabel() {
        assertEquals("name:       data\ncreated by: graytorrent\n",
                new LabelledLines().add("name", "data").add("created by", "graytorrent").toString());
    }

    @Test
    void etasAreShortAndUnknownIsADash() {
        assertEquals("-", Durations.format(OptionalLong.empty()));
        assertEquals("45s", Durations.format(45));
        assertEquals("12m05s", Durations.format(725));
        assertEquals("3h20m", Durations.format(3 * 3600 + 20 * 60 + 7));
        assertEquals("2d04h", Durations.format(2 * 86_400 + 4 * 3600));
    }

    @Test
    void durationsReadBackAsTheyAreWrittenAndNothingElse() {
        assertEquals(Duration.ofSeconds(90), Durations.parse("90"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertEquals(Duration.ofSeconds(725), Durations.parse(Durations.format(725)));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        for (String bad : new String[] {"", "0", "0s", "-5s", "5x", "s", "1.5m", "5m1h", "99999999999s", " 5s"}) {
            assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
        }
    }

    @Test
    void peersAreHostPortOrBracketedIpv6() {
        assertEquals(new InetSocketAddress("127.0.0.1", 6881), PeerAddresses.parse("127.0.0.1:6881"));
        assertEquals(new InetSocketAddress("::1", 51413), PeerAddresses.parse("[::1]:51413"));
        for (String bad : new String[] {"127.0.0.1", "127.0.0.1:", ":80", "::1:80", "host:http", "host:0", "host:70000"}) {
            assertThrows(IllegalArgumentException.class, () -> PeerAddresses.parse(bad), bad);
        }
    }

    @Test
    void trackersShowRelativeTimesAndTheMissingClient() {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        String table = TorrentViews.trackers(List.of(
                new TrackerStatus("http://t/announce", 0, "working", Optional.of(now.minusSeconds(12)),
                        Optional.of(now.plusSeconds(1800)), OptionalInt.of(3), OptionalInt.of(1), Optional.empty()),
                new TrackerStatus("udp://u:1", 1, "no client for scheme udp", Optional.empty(), Optional.empty(),
                        OptionalInt.empty(), OptionalInt.empty(), Optional.of("timed out"))), now);
        String[] lines = table.split("\n");
        assertEquals(3, lines.length);
        assertEquals(List.of("0", "http://t/announce", "working", "3", "1", "12s", "ago", "in", "30m00s"),
                List.of(lines[1].trim().split("\\s+")));
        assertEquals(true, lines[2].contains("no client for scheme udp") && lines[2].endsWith("timed out"), lines[2]);
        assertEquals("no trackers", TorrentViews.trackers(List.of(), now));
    }

    @Test
    void webSeedsShowTheirKind() {
        String table = TorrentViews.webSeeds(List.of(
                new WebSeedStatus("http://m/pub/", "idle", 0, 10, Optional.empty()),
                new WebSeedStatus("http://h/seed.php", "backing off", 0, 0, Optional.of("piece 0: HTTP 503, retry in 2 s"),
                        WebSeedStatus.HTTP_SEED)));
        String[] lines = table.split("\n");
        assertEquals(List.of("WEB", "SEED", "KIND", "STATE"), List.of(lines[0].trim().split("\\s+")).subList(0, 4));
        assertEquals(List.of("http://m/pub/", "url-list", "idle"), List.of(lines[1].trim().split("\\s+")).subList(0, 3));
        assertEquals(List.of("http://h/seed.php", "httpseed", "backing"), List.of(lines[2].trim().split("\\s+")).subList(0, 3));
    }

    @Test
    void infoListsHttpSeeds() throws Exception {
        Path file = Files.createTempFile("httpseeds", ".bin");
        try {
            Files.write(file, new byte[100]);
            ParsedTorrent torrent = new MetainfoParser().read(TorrentCreator.forPath(file).webSeed("http://m/pub/")
                    .httpSeed("http://h/seed.php").create());
            String text = MetainfoViews.asText(torrent);
            assertEquals(true, text.contains("web seeds:\n  http://m/pub/\nhttp seeds (BEP 17):\n  http://h/seed.php\n"), text);
            assertEquals(List.of("http://h/seed.php"), MetainfoViews.asMap(torrent).get("httpSeeds"));
        } finally {
            Files.delete(file);
        }
    }
}
