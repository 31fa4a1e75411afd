package io.graytorrent.distribution;

import static io.graytorrent.distribution.GrayCommand.assertSucceeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.LeftoverProcesses;
import io.graytorrent.testkit.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blocklist in the real server: {@code io.graytorrent.blocklist.cfg} in plugins/ brings the list
 * up (File Install, Configuration Admin, the component), {@code gray blocklist} shows what it loaded,
 * an edit of the file loads the new source at once, and the file's removal takes the list away.
 */
@Slow
@ExtendWith(LeftoverProcesses.class)
class BlocklistIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;
    private GrayCommand gray;

    @Test
    void aConfiguredListLoadsAndAnEditReplacesIt() throws Exception {
        Path first = Files.writeString(work.resolve("first.p2p"), "a:10.1.0.0-10.1.255.255\nb:10.3.0.0-10.3.0.9\nnot a range\n");
        Path second = Files.writeString(work.resolve("second.txt"), "192.0.2.0/24\n2001:db8::/32\n");
        gray = GrayCommand.configured(work, "io.graytorrent.blocklist.cfg", "sources=" + first + "\n");
        Path cfg = gray.configuration("io.graytorrent.blocklist.cfg");
        assertSucceeds(gray.run("server", "start"));

        JsonNode loaded = awaitList(list -> list.get("ipv4Ranges").asInt() == 2);
        assertEquals(3, loaded.get("linesRead").asInt(), loaded.toString());
        assertEquals(1, loaded.get("linesSkipped").asInt(), loaded.toString());
        assertEquals(first.toString(), loaded.get("sources").get(0).asText());
        GrayCommand.Result shown = assertSucceeds(gray.run("blocklist"));
        assertTrue(shown.out().contains("2 IPv4, 0 IPv6"), shown.toString());

        Files.writeString(cfg, "sources=" + second + "\n");
        JsonNode replaced = awaitList(list -> list.get("ipv6Ranges").asInt() == 1);
        assertEquals(1, replaced.get("ipv4Ranges").asInt(), replaced.toString());

        Files.delete(cfg);
        Await.until("no list once the file is gone", WAIT, () -> gray.run("blocklist", "--json").exit() != 0);
        assertSucceeds(gray.run("server", "stop"));
    }

    private JsonNode awaitList(Predicate<JsonNode> condition) throws Exception {
        return Await.value("the blocklist's awaited state", WAIT, () -> {
            GrayCommand.Result list = gray.run("blocklist", "--json");
            return list.exit() == 0 ? JSON.readTree(list.out()) : null;
        }, list -> list != null && condition.test(list));
    }
}
