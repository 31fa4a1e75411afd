package io.graytorrent.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

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
    void peersAreHostPortOrBracketedIpv6() {
        assertEquals(new InetSocketAddress("127.0.0.1", 6881), PeerAddresses.parse("127.0.0.1:6881"));
        assertEquals(new InetSocketAddress("::1", 51413), PeerAddresses.parse("[::1]:51413"));
        for (String bad : new String[] {"127.0.0.1", "127.0.0.1:", ":80", "::1:80", "host:http", "host:0", "host:70000"}) {
            assertThrows(IllegalArgumentException.class, () -> PeerAddresses.parse(bad), bad);
        }
    }
}
