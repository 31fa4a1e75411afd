package io.graytorrent.metainfo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;

/** The test kit's libtorrent fixture, its JSON answers read. */
final class Libtorrent {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Libtorrent() {
    }

    /** Runs one fixture command (create, describe, verify, autopiece) and returns the JSON it prints. */
    static JsonNode run(String... args) throws IOException, InterruptedException {
        return JSON.readTree(io.graytorrent.testkit.Libtorrent.run(LIMIT, args));
    }
}
