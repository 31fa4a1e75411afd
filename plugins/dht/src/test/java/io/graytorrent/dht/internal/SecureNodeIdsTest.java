package io.graytorrent.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

@Unit
class SecureNodeIdsTest {

    /** BEP 42's five examples: IP, the id's last byte, the first three bytes of a valid id. */
    @ParameterizedTest
    @CsvSource({
        "124.31.75.21, 01, 5fbfbf",
        "21.75.31.124, 56, 5a3ce9",
        "65.23.51.170, 16, a5d432",
        "84.124.73.14, 41, 1b0321",
        "43.213.53.83, 5a, e56f6c",
    })
    void theSpecVectors(String ip, String lastByte, String prefix) throws Exception {
        InetAddress address = InetAddress.getByName(ip);
        byte[] example = new byte[NodeId.LENGTH];
        byte[] start = HexFormat.of().parseHex(prefix);
        System.arraycopy(start, 0, example, 0, 3);
        example[19] = (byte) Integer.parseInt(lastByte, 16);
        assertTrue(SecureNodeIds.isValid(NodeId.of(example), address), "the example id is valid");

        byte[] derived = SecureNodeIds.idFor(address, example[19] & 7, example).bytes();
        assertEquals(HexFormat.of().formatHex(start), HexFormat.of().formatHex(derived, 0, 3));

        example[1] ^= 1;
        assertFalse(SecureNodeIds.isValid(NodeId.of(example), address), "a flipped prefix bit is caught");
    }

    @Test
    void derivedIdsValidateForTheirAddressOnly() throws Exception {
        Random random = new Random(42);
        InetAddress v4 = InetAddress.getByName("198.51.100.7");
        InetAddress v6 = InetAddress.getByName("2001:db8:1234::9");
        for (int i = 0; i < 50; i++) {
            assertTrue(SecureNodeIds.isValid(SecureNodeIds.idFor(v4, random), v4));
            assertTrue(SecureNodeIds.isValid(SecureNodeIds.idFor(v6, random), v6));
        }
        assertFalse(SecureNodeIds.isValid(SecureNodeIds.idFor(v4, random), InetAddress.getByName("203.0.113.1")));
    }

    @Test
    void localAddressesAreExempt() throws Exception {
        NodeId any = NodeId.random(new Random(1));
        for (String local : new String[] {"127.0.3.1", "10.0.0.1", "192.168.1.2", "172.16.0.9", "169.254.1.1",
                "::1", "fe80::1", "fd00::5"}) {
            assertTrue(SecureNodeIds.isValid(any, InetAddress.getByName(local)), local);
        }
    }
}
