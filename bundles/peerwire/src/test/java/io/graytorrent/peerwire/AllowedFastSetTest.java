package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.graytorrent.api.InfoHash;
import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

@Unit
class AllowedFastSetTest {
    private static final InfoHash AAAA = InfoHash.parse("aa".repeat(20));

    @Test
    void matchesTheExamplesOfBep6() throws Exception {
        InetAddress peer = InetAddress.getByName("80.4.4.200");
        assertEquals(List.of(1059, 431, 808, 1217, 287, 376, 1188), AllowedFastSet.compute(AAAA, peer, 1313, 7));
        assertEquals(List.of(1059, 431, 808, 1217, 287, 376, 1188, 353, 508),
                AllowedFastSet.compute(AAAA, peer, 1313, 9));
    }

    @Test
    void dependsOnlyOnTheSlash24() throws Exception {
        assertEquals(AllowedFastSet.compute(AAAA, InetAddress.getByName("80.4.4.1"), 1313, 9),
                AllowedFastSet.compute(AAAA, InetAddress.getByName("80.4.4.200"), 1313, 9));
    }

    @Test
    void neverAsksForMorePiecesThanTheTorrentHas() throws Exception {
        assertEquals(3, AllowedFastSet.compute(AAAA, InetAddress.getByName("10.0.0.1"), 3, 10).size());
    }

    @Test
    void ipv6PeersGetNoSetAsBep6HasNoRuleForThem() throws Exception {
        assertEquals(List.of(), AllowedFastSet.compute(AAAA, InetAddress.getByName("2001:db8::1"), 1313, 10));
    }
}
