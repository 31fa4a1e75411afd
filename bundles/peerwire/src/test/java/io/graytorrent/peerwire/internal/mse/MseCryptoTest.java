package io.graytorrent.peerwire.internal.mse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.InfoHash;
import io.graytorrent.peerwire.PeerProtocolException;
import io.graytorrent.peerwire.TorrentEndpoint;
import io.graytorrent.peerwire.TorrentLookup;
import io.graytorrent.testkit.Unit;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** MSE's pieces: the DH agreement, RC4 with its discard, and finding a torrent by its req2 hash. */
@Unit
class MseCryptoTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void bothSidesAgreeOnTheSecretFromEachOthersPublicKey() {
        for (int i = 0; i < 20; i++) {
            DhKeys a = DhKeys.generate();
            DhKeys b = DhKeys.generate();
            assertEquals(DhKeys.KEY_LENGTH, a.publicKey().length);
            byte[] secret = a.sharedSecret(b.publicKey());
            assertEquals(DhKeys.KEY_LENGTH, secret.length);
            assertArrayEquals(secret, b.sharedSecret(a.publicKey()));
            assertFalse(Arrays.equals(a.publicKey(), b.publicKey()));
        }
    }

    @Test
    void theSecretIsTheModularPowerComputedIndependently() {
        // Y^X mod P from BigInteger alone: the JDK agreement must give the same 96 bytes
        DhKeys a = DhKeys.generate();
        BigInteger x = new BigInteger(1, HEX.parseHex("0123456789abcdef0123456789abcdef01234567"));
        BigInteger y = DhKeys.G.modPow(x, DhKeys.P);
        byte[] expected = DhKeys.fixedLength(new BigInteger(1, a.publicKey()).modPow(x, DhKeys.P));
        assertArrayEquals(expected, a.sharedSecret(DhKeys.fixedLength(y)));
    }

    @Test
    void keysAreAlwaysNinetySixBytesBigEndian() {
        assertArrayEquals(new byte[95], Arrays.copyOf(DhKeys.fixedLength(BigInteger.ONE), 95));
        assertEquals(1, DhKeys.fixedLength(BigInteger.ONE)[95]);
        // a top bit set makes BigInteger add a sign byte, which must go
        byte[] high = DhKeys.fixedLength(DhKeys.P.subtract(BigInteger.TWO));
        assertEquals((byte) 0xff, high[0]);
        assertEquals(96, high.length);
    }

    @Test
    void garbageKeysAreRefused() {
        DhKeys a = DhKeys.generate();
        for (BigInteger bad : List.of(BigInteger.ZERO, BigInteger.ONE, DhKeys.P.subtract(BigInteger.ONE), DhKeys.P,
                BigInteger.TWO.pow(768).subtract(BigInteger.ONE))) {
            assertThrows(PeerProtocolException.class, () -> a.sharedSecret(DhKeys.fixedLength(bad)), bad.toString(16));
        }
    }

    /**
     * RFC 6229, section 2: the keystream of the 40-bit key 0x0102030405 and of the 128-bit key
     * 0x0102..10 at offsets 1024, 1520, 1536, 2048, 3072 and 4096 (decimal). After the 1024-byte
     * discard, our first keystream byte is the RFC's offset 1024. The values were computed with a
     * throwaway RC4 written for this check, whose offset-0 output matches the RFC's first line.
     */
    @Test
    void rc4AfterTheDiscardMatchesRfc6229() {
        Map<Integer, String> fortyBit = Map.of(1024, "30abbcc7c20b01609f23ee2d5f6bb7df",
                1520, "3294f744d8f9790507e70f62e5bbceea", 1536, "d8729db41882259bee4f825325f5a130",
                2048, "cc582f8ba9f265e2b1be9112e975d2d7", 3072, "ec0e11c479dc329dc8da7968fe965681",
                4096, "ff25b58995996707e51fbdf08b34d875");
        Map<Integer, String> bits128 = Map.of(1024, "bdf0324e6083dcc6d3cedd3ca8c53c16",
                1520, "b40110c4190b5622a96116b0017ed297", 1536, "ffa0b514647ec04f6306b892ae661181",
                2048, "8a44126411eaa78bd51e8d87a8879bf5", 3072, "c05d88abd50357f935a63c59ee537623",
                4096, "a36a4c301ae8ac13610ccbc12256cacc");
        checkKeystream("0102030405", fortyBit);
        checkKeystream("0102030405060708090a0b0c0d0e0f10", bits128);
    }

    private static void checkKeystream(String key, Map<Integer, String> expected) {
        byte[] keystream = new byte[4112 - Rc4.DISCARD];
        Rc4 rc4 = new Rc4(HEX.parseHex(key));
        // in pieces of odd sizes: one continuous stream across calls
        for (int from = 0; from < keystream.length; from += 333) {
            rc4.apply(keystream, from, Math.min(333, keystream.length - from));
        }
        expected.forEach((offset, hex) -> assertEquals(hex,
                HEX.formatHex(keystream, offset - Rc4.DISCARD, offset - Rc4.DISCARD + 16), key + " at " + offset));
    }

    @Test
    void theStreamKeyHashFindsItsTorrentAndHashesEachTorrentOnce() {
        InfoHash first = InfoHash.of(new byte[20]);
        byte[] raw = new byte[20];
        raw[19] = 7;
        InfoHash second = InfoHash.of(raw);
        AtomicInteger listings = new AtomicInteger();
        List<InfoHash> running = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(first));
        TorrentLookup lookup = new TorrentLookup() {
            @Override
            public Optional<TorrentEndpoint> find(InfoHash infoHash) {
                return running.contains(infoHash) ? Optional.of(new TorrentEndpoint(infoHash, 1, null))
                        : Optional.empty();
            }

            @Override
            public Collection<InfoHash> infoHashes() {
                listings.incrementAndGet();
                return running;
            }
        };
        StreamKeys keys = new StreamKeys(lookup);
        assertEquals(first, keys.find(MseHashes.req2(first.toBytes())).orElseThrow());
        assertEquals(1, listings.get());
        assertEquals(first, keys.find(MseHashes.req2(first.toBytes())).orElseThrow());
        assertEquals(1, listings.get(), "a known hash is one map probe");

        assertTrue(keys.find(MseHashes.req2(second.toBytes())).isEmpty());
        running.add(second);
        assertEquals(second, keys.find(MseHashes.req2(second.toBytes())).orElseThrow());
        running.remove(first);
        assertTrue(keys.find(MseHashes.req2(first.toBytes())).isEmpty(), "a stopped torrent is not routed");
        assertTrue(keys.find(new byte[20]).isEmpty());
    }

    @Test
    void req2IsSha1OfTheLabelAndTheInfoHash() throws Exception {
        byte[] infoHash = HEX.parseHex("00112233445566778899aabbccddeeff00112233");
        var sha1 = java.security.MessageDigest.getInstance("SHA-1");
        sha1.update("req2".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertArrayEquals(sha1.digest(infoHash), MseHashes.req2(infoHash));
    }
}
