package io.graytorrent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.DhtStatus;
import io.graytorrent.testkit.Unit;
import java.util.List;
import org.junit.jupiter.api.Test;

@Unit
class DhtCommandTest {
    private static final DhtStatus STATUS = new DhtStatus("0123456789abcdef0123456789abcdef01234567", "",
            new DhtStatus.Table(12, 9, List.of(8, 4)), new DhtStatus.Table(0, 0, List.of(0)), 3, 17, 2, 1, 5,
            900, 1000, 65536, 4, 0, 1, 2, 41, 96, 3, 7);

    @Test
    void theViewNamesEachTableWithItsGoodAndQuestionableNodesAndTheTraffic() {
        assertEquals(String.join("\n",
                "node id:          0123456789abcdef0123456789abcdef01234567",
                "external address: not known yet",
                "IPv4 nodes:       12 (9 good, 3 questionable) in 2 buckets",
                "IPv6 nodes:       0 (0 good, 0 questionable) in 1 bucket",
                "torrents:         2 looked up; 5 lookups started, 1 running",
                "stored:           17 peers for 3 infohashes",
                "packets:          900 in, 1000 out (" + Sizes.format(65536) + ")",
                "dropped:          4 in (rate-limited IPs), 0 out (rate limit), 1 malformed, 2 unexpected answers",
                "lookups:          41 done, of every kind",
                "announces:        96 sent, 3 held back for the rate, 7 given up", ""),
                DhtCommand.view(STATUS));
    }

    @Test
    void withoutTheDhtPluginItSaysSo() {
        IllegalStateException absent = assertThrows(IllegalStateException.class, () -> new DhtCommand().dht());
        assertTrue(absent.getMessage().contains("not installed"), absent.getMessage());
    }
}
