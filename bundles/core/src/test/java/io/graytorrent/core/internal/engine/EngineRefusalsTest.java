package io.graytorrent.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.api.AddTorrent;
import io.graytorrent.api.FilePriority;
import io.graytorrent.api.SessionSettings;
import io.graytorrent.api.TorrentException;
import io.graytorrent.api.TorrentException.Kind;
import io.graytorrent.testkit.Unit;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal of the engine says its kind, so callers (the control API) need not read its wording. */
@Timeout(60)
@Unit
class EngineRefusalsTest {
    @TempDir
    Path dir;

    private static void assertRefused(Kind kind, Executable request) {
        TorrentException e = assertThrows(TorrentException.class, request);
        assertEquals(kind, e.kind(), e.getMessage());
    }

    private AddTorrent paused(byte[] torrent) {
        return new AddTorrent(torrent, dir.resolve("down"), true, List.of());
    }

    @Test
    void refusalsOfRequestsCarryTheirKind() throws Exception {
        try (EngineFixture fixture = new EngineFixture(dir.resolve("state"))) {
            Engine engine = fixture.engine;
            byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "a", 32 * 1024, 1, 1000);
            engine.add(paused(torrent));

            assertRefused(Kind.NOT_FOUND, () -> engine.status("7"));
            assertRefused(Kind.NOT_FOUND, () -> engine.remove("ffffffff", false));
            assertRefused(Kind.ALREADY_MANAGED, () -> engine.add(paused(torrent)));
            assertRefused(Kind.INVALID_INPUT, () -> engine.status("not-a-ref"));
            assertRefused(Kind.INVALID_INPUT, () -> engine.add(paused("d4:infoi1ee".getBytes(StandardCharsets.US_ASCII))));
            assertRefused(Kind.INVALID_INPUT, () -> engine.add(AddTorrent.magnet("magnet:?xt=urn:btih:1234", dir, true,
                    List.of())));
            assertRefused(Kind.INVALID_INPUT, () -> engine.setFilePriority("1", List.of(7), FilePriority.SKIP));
            assertRefused(Kind.INVALID_INPUT,
                    () -> engine.connect("1", InetSocketAddress.createUnresolved("no-such-host.invalid", 6881)));
            assertRefused(Kind.NOT_SUPPORTED, () -> engine.add(paused(metaVersion3Torrent())));
        }
    }

    @Test
    void aMoveOntoAFileInTheWayIsATargetThatExistsAndLeavesTheDataWhereItWas() throws Exception {
        try (EngineFixture fixture = new EngineFixture(dir.resolve("state"))) {
            byte[] torrent = TestData.multiFileTorrent(dir.resolve("seed"), "a", 32 * 1024, 1, 1000);
            fixture.engine.add(new AddTorrent(torrent, dir.resolve("seed"), true, List.of()));
            Path inTheWay = Files.createDirectories(dir.resolve("other/a")).resolve("file0.bin");
            Files.writeString(inTheWay, "somebody's");

            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> fixture.engine.move("1", dir.resolve("other")).get(30, TimeUnit.SECONDS));
            TorrentException refused = assertInstanceOf(TorrentException.class, failed.getCause());
            assertEquals(Kind.TARGET_EXISTS, refused.kind(), refused.getMessage());
            assertTrue(refused.getMessage().contains("stays in " + dir.resolve("seed")), refused.getMessage());
            assertEquals("somebody's", Files.readString(inTheWay));
            assertEquals(1000, Files.size(dir.resolve("seed/a/file0.bin")));
            assertEquals(dir.resolve("seed"), fixture.engine.status("1").savePath().getParent());
        }
    }

    @Test
    void aMagnetLinkWithoutItsMetadataHasNoFilesToPrioritize() throws Exception {
        try (EngineFixture fixture = new EngineFixture(dir.resolve("state"))) {
            String link = "magnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=pending";
            fixture.engine.add(AddTorrent.magnet(link, dir, true, List.of()));
            assertRefused(Kind.NO_METADATA_YET,
                    () -> fixture.engine.setFilePriority("1", List.of(0), FilePriority.HIGH));
            assertRefused(Kind.NO_METADATA_YET, () -> fixture.engine.verify("1"));
        }
    }

    @Test
    void aShortPrefixOfTwoInfohashesIsAmbiguous() throws Exception {
        try (EngineFixture fixture = new EngineFixture(dir.resolve("state"))) {
            // search names until two one-file torrents share the first 4 hex digits of their infohash
            Map<String, byte[]> byPrefix = new HashMap<>();
            for (int i = 0; ; i++) {
                byte[] info = ("d6:lengthi1e4:name" + ("t" + i).length() + ":t" + i
                        + "12:piece lengthi16384e6:pieces20:" + "x".repeat(20) + "e").getBytes(StandardCharsets.US_ASCII);
                String prefix = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(info)).substring(0, 4);
                byte[] other = byPrefix.putIfAbsent(prefix, info);
                if (other != null) {
                    fixture.engine.add(paused(torrentOf(other)));
                    fixture.engine.add(paused(torrentOf(info)));
                    assertRefused(Kind.AMBIGUOUS, () -> fixture.engine.status(prefix));
                    return;
                }
            }
        }
    }

    @Test
    void stateThatCannotBeWrittenIsTheEnginesFailure() throws Exception {
        try (EngineFixture fixture = new EngineFixture(dir.resolve("state"))) {
            // a non-empty directory where the settings file goes: the atomic replace cannot succeed
            Files.createDirectories(dir.resolve("state/session-settings/in-the-way"));
            SessionSettings now = fixture.engine.sessionSettings();
            SessionSettings changed = new SessionSettings(1000, now.uploadRateLimit(), now.maxConnections(),
                    now.maxConnectionsPerTorrent(), now.defaultSaveDirectory());
            assertRefused(Kind.FAILED, () -> fixture.engine.updateSessionSettings(changed));
            assertEquals(now, fixture.engine.sessionSettings(), "a change that cannot be kept does not apply");
        }
    }

    private static byte[] torrentOf(byte[] info) {
        ByteArrayOutputStream torrent = new ByteArrayOutputStream();
        torrent.writeBytes("d4:info".getBytes(StandardCharsets.US_ASCII));
        torrent.writeBytes(info);
        torrent.write('e');
        return torrent.toByteArray();
    }

    /** A torrent of a BEP 52 {@code meta version} newer than the engine knows. */
    private static byte[] metaVersion3Torrent() {
        return torrentOf(("d9:file treed1:ad0:d6:lengthi10e11:pieces root32:" + "r".repeat(32) + "eee"
                + "12:meta versioni3e4:name1:a12:piece lengthi16384ee").getBytes(StandardCharsets.US_ASCII));
    }
}
