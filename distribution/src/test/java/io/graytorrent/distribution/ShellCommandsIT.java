package io.graytorrent.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graytorrent.metainfo.MetainfoException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

/** The {@code bt:*} commands as the Gogo shell of a running server sees and runs them. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandsIT extends ServerContainerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    private CommandProcessor processor;
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    @Test
    public void infoAndCreateAreCommandsInScopeBt() throws Exception {
        ServiceReference<?>[] commands = context.getServiceReferences((String) null,
                "(" + CommandProcessor.COMMAND_SCOPE + "=bt)");
        assertNotNull("no service registers commands in scope bt", commands);
        Set<String> functions = new HashSet<>();
        for (ServiceReference<?> command : commands) {
            Object function = command.getProperty(CommandProcessor.COMMAND_FUNCTION);
            functions.addAll(function instanceof String[] many ? List.of(many) : List.of(String.valueOf(function)));
        }
        assertTrue("bt functions: " + functions, functions.containsAll(List.of("info", "create")));
    }

    @Test
    public void createMakesATorrentThatInfoDescribesAsJson() throws Exception {
        Path data = temp.newFolder("data").toPath();
        byte[] bytes = new byte[100_000];
        new Random(11).nextBytes(bytes);
        Files.write(data.resolve("a.bin"), bytes);
        Files.writeString(Files.createDirectory(data.resolve("sub")).resolve("b.txt"), "hello\n");
        Path torrent = temp.getRoot().toPath().resolve("data.torrent");

        String created = execute("bt:create '" + data + "' -t http://127.0.0.1:1/a --web-seed http://127.0.0.1:2/files/"
                + " --http-seed http://127.0.0.1:3/seed --http-seed http://127.0.0.1:4/seed -o '" + torrent + "'");
        assertTrue(created, created.startsWith("created " + torrent));

        JsonNode info = JSON.readTree(execute("bt:info --json '" + torrent + "'"));
        assertEquals("data", info.get("name").asText());
        assertEquals(100_006, info.get("totalSize").asLong());
        assertEquals("http://127.0.0.1:1/a", info.get("trackerTiers").get(0).get(0).asText());
        assertEquals("a.bin", info.get("files").get(0).get("path").asText());
        assertEquals("sub/b.txt", info.get("files").get(1).get("path").asText());
        assertTrue(info.get("infoHash").asText().matches("[0-9a-f]{40}"));
        assertEquals("[\"http://127.0.0.1:2/files/\"]", info.get("webSeeds").toString());
        assertEquals("[\"http://127.0.0.1:3/seed\",\"http://127.0.0.1:4/seed\"]", info.get("httpSeeds").toString());
    }

    @Test
    public void infoRefusesAGarbageFileWithOneReadableLine() throws Exception {
        Path garbage = temp.newFile("garbage.torrent").toPath();
        Files.write(garbage, new byte[] {'d', '4', ':', 'i', 'n'});

        MetainfoException refused = assertThrows(MetainfoException.class, () -> execute("bt:info '" + garbage + "'"));
        String message = refused.getMessage();
        assertTrue(message, message.startsWith("not a valid torrent file: ") && message.lines().count() == 1);
    }

    /** Runs a command line in a fresh session, as the console does, and returns what it answered. */
    private String execute(String commandLine) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out)) {
            Object result = session.execute(commandLine);
            return result != null ? String.valueOf(result) : output.toString(StandardCharsets.UTF_8);
        }
    }
}
