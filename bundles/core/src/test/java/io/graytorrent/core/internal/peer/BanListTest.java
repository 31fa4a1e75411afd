package io.graytorrent.core.internal.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

@Unit
class BanListTest {

    private static InetAddress address(int last) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
    }

    @Test
    void theThirdFailureBansTheAddressOnce() throws UnknownHostException {
        BanList bans = new BanList();
        InetAddress liar = address(1);

        assertFalse(bans.recordFailure(liar));
        assertFalse(bans.recordFailure(liar));
        assertFalse(bans.isBanned(liar));
        assertTrue(bans.recordFailure(liar));
        assertTrue(bans.isBanned(liar));
        assertFalse(bans.recordFailure(liar), "already banned: reported once");
        assertFalse(bans.isBanned(address(2)));
    }

    @Test
    void theThresholdIsConfigurable() throws UnknownHostException {
        BanList bans = new BanList(1, 10);
        assertTrue(bans.recordFailure(address(1)));
        assertTrue(bans.isBanned(InetAddress.getByAddress(new byte[] {10, 0, 0, 1})));
    }

    @Test
    void countersAreBoundedButBansAreKept() throws UnknownHostException {
        BanList bans = new BanList(2, 3);
        bans.recordFailure(address(1));
        assertTrue(bans.recordFailure(address(1)));
        bans.recordFailure(address(2)); // one strike, then pushed out by newer strikes
        for (int i = 10; i < 20; i++) {
            bans.recordFailure(address(i));
        }
        assertFalse(bans.recordFailure(address(2)), "its old strike was forgotten");
        assertTrue(bans.isBanned(address(1)));
        assertEquals(1, bans.bannedCount());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BanList(0, 10));
        assertThrows(NullPointerException.class, () -> new BanList().recordFailure(null));
    }

    @Test
    void aChangedThresholdCountsTheFailuresAlreadySeen() throws UnknownHostException {
        BanList bans = new BanList(5, 16);
        InetAddress liar = address(2);
        assertFalse(bans.recordFailure(liar));
        assertFalse(bans.recordFailure(liar));
        bans.setThreshold(2);
        assertTrue(bans.recordFailure(liar), "its third failure is past the new threshold of two");
        assertThrows(IllegalArgumentException.class, () -> bans.setThreshold(0));
    }
}
