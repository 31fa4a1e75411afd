package io.graytorrent.control.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graytorrent.control.internal.api.DhtRoutes;
import io.graytorrent.control.internal.api.NetworkRoutes;
import io.graytorrent.control.internal.api.EngineAccess;
import io.graytorrent.control.internal.api.EventStreams;
import io.graytorrent.control.internal.auth.Authenticator;
import io.graytorrent.control.internal.auth.LoginLimiter;
import io.graytorrent.control.internal.auth.LoginSessions;
import io.graytorrent.control.internal.auth.SessionRoutes;
import io.graytorrent.control.internal.command.CommandRoutes;
import io.graytorrent.control.internal.command.CommandRunner;
import io.graytorrent.control.internal.http.ControlHandler;
import io.graytorrent.control.internal.http.ControlServer;
import io.graytorrent.control.internal.http.HostGuard;
import io.graytorrent.control.internal.http.Router;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One HTTP request, as bytes from any local process, through the control endpoint's pipeline
 * ({@link ControlServer#addHttpHandlers}: codec, aggregator, {@link ControlHandler} with {@link HostGuard}
 * and {@link Authenticator}) to every route of {@link ControlComponent#routes}: the command channel on
 * a real Gogo processor whose only command is a harmless {@code bt:echo}, login and sessions, and the
 * JSON API without an engine (so its input checks run, then it answers 503). The contract: the
 * answer is a 200 stream that ends with an exit code, a 200/204 JSON answer, or a 4xx (or the 503)
 * whose body is our JSON error; a command runs only for a request that carried the token. No answer
 * is allowed only while a request is incomplete (or for an event stream, which never completes).
 *
 * <p>Input layout: one byte (from the end) chooses between the remaining bytes as the whole raw
 * request, and those bytes as the JSON body of an authorised POST to the command path. Seeds:
 * src/test/resources/io/graytorrent/control/internal/ControlEndpointFuzzTestInputs/answersOrRefuses/.
 */
@Slow
class ControlEndpointFuzzTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final int PORT = 7881;
    private static final int MAX_REQUEST_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A command's stream ends with its exit code. */
    private static final Pattern FINAL_EXIT_LINE = Pattern.compile("\\{\"exit\":\\d+}\n$");
    private static final AllocationBudget MEMORY = new AllocationBudget(1 << 20, 512);

    /** The one command the fuzzer can reach; it only records its arguments. */
    public static final class EchoCommand {
        int calls;

        public String echo(String... args) {
            calls++;
            return String.join("|", args);
        }
    }

    private static final ch.qos.logback.classic.Logger HANDLER_LOG =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(ControlHandler.class);
    private static final ThreadIOImpl THREAD_IO = new ThreadIOImpl();
    private static final EchoCommand COMMANDS = new EchoCommand();
    private static CommandProcessorImpl processor;
    private static EventStreams events;

    @BeforeAll
    static void startGogo() {
        // every refused input logs a WARN line; failures that matter fail the test instead
        HANDLER_LOG.setLevel(Level.ERROR);
        THREAD_IO.start();
        processor = new CommandProcessorImpl(THREAD_IO);
        processor.addCommand("bt", COMMANDS, "echo");
        events = new EventStreams(List::of, 4, 64 * 1024, 60_000);
    }

    @AfterAll
    static void stopGogo() {
        events.close();
        processor.stop();
        THREAD_IO.stop();
        HANDLER_LOG.setLevel(null);
    }

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void answersOrRefuses(FuzzedDataProvider data) throws IOException {
        boolean rawRequest = data.consumeBoolean();
        byte[] bytes = data.consumeRemainingAsBytes();
        byte[] request = rawRequest ? bytes : authorisedCommand(bytes);
        MEMORY.check(request.length, () -> exchange(request));
        int callsBefore = COMMANDS.calls;
        checkAnswer(request, exchange(request));
        if (COMMANDS.calls > callsBefore) {
            assertTrue(contains(request, ("Bearer " + TOKEN).getBytes(StandardCharsets.US_ASCII)),
                    "a command ran for a request without the token");
        }
    }

    @Test
    void theHarnessReachesTheCommand() throws IOException {
        int callsBefore = COMMANDS.calls;
        byte[] response = exchange(authorisedCommand("{\"args\":[\"echo\",\"a\",\"b\"],\"cwd\":\"/\"}"
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals(callsBefore + 1, COMMANDS.calls);
        String text = new String(response, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("HTTP/1.1 200") && text.contains("a|b") && text.contains("{\"exit\":0}"), text);
    }

    private static byte[] authorisedCommand(byte[] body) {
        byte[] head = ("POST " + CommandRoutes.COMMAND_PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + PORT
                + "\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head);
        request.writeBytes(body);
        return request.toByteArray();
    }

    /** Feeds the request and returns every byte written back. */
    private static byte[] exchange(byte[] request) {
        EmbeddedChannel channel = new EmbeddedChannel();
        // fresh sessions and login limiter: an input must not change how the next one is answered
        Authenticator authenticator = new Authenticator(TOKEN, new LoginSessions(Duration.ofMinutes(1), 4, System::nanoTime), false);
        Router router = ControlComponent.routes(new CommandRoutes(new CommandRunner(processor), new InlineExecutor()),
                new SessionRoutes(authenticator, new LoginLimiter(5, Duration.ofMinutes(1), System::nanoTime)),
                new EngineAccess(() -> null), new DhtRoutes(() -> null), new NetworkRoutes(new EngineAccess(() -> null), () -> null), events, true);
        ControlServer.addHttpHandlers(channel.pipeline(), MAX_REQUEST_BYTES, new ControlHandler(
                new HostGuard(new InetSocketAddress("127.0.0.1", PORT), false), authenticator, router, new InlineExecutor()));
        channel.writeInbound(Unpooled.wrappedBuffer(request));
        channel.checkException();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) out;
            byte[] chunk = new byte[buf.readableBytes()];
            buf.readBytes(chunk);
            buf.release();
            written.writeBytes(chunk);
        }
        channel.finishAndReleaseAll();
        return written.toByteArray();
    }

    private static void checkAnswer(byte[] request, byte[] response) throws IOException {
        List<FullHttpResponse> answers = parseResponses(response);
        try {
            if (answers.isEmpty()) {
                return; // still waiting for the rest of the request
            }
            assertEquals(1, answers.size(), "one answer per connection");
            FullHttpResponse answer = answers.get(0);
            int status = answer.status().code();
            String body = answer.content().toString(StandardCharsets.UTF_8);
            boolean webPage = answer.headers().contains("Content-Security-Policy");
            if (webPage && (status == 200 || status == 304)) {
                assertTrue(request.length > 3 && (request[0] == 'G' || request[0] == 'H'), "only GET and HEAD read pages");
            } else if (status == 200) {
                assertTrue(FINAL_EXIT_LINE.matcher(body).find() || JSON.readTree(body).isObject(), body);
            } else if (status == 204) {
                assertEquals("", body);
            } else if (status >= 400 && status < 500 || status == 503) {
                JsonNode error = JSON.readTree(body).path("error");
                assertTrue(error.path("code").isTextual() && error.path("message").isTextual(), status + " " + body);
            } else {
                fail("status " + status + " for " + new String(request, StandardCharsets.ISO_8859_1));
            }
        } finally {
            answers.forEach(FullHttpResponse::release);
        }
    }

    /** The final answers in {@code bytes}, read as an HTTP client would (interim 100s left out). */
    private static List<FullHttpResponse> parseResponses(byte[] bytes) {
        EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
        client.writeInbound(Unpooled.wrappedBuffer(bytes));
        try {
            client.finish();
        } catch (PrematureChannelClosureException e) {
            // only an event stream may still be open when the exchange ends
            String head = new String(bytes, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            assertTrue(head.startsWith("http/1.1 200") && head.contains("content-type: text/event-stream"), head);
        }
        List<FullHttpResponse> answers = new ArrayList<>();
        for (FullHttpResponse answer = client.readInbound(); answer != null; answer = client.readInbound()) {
            assertTrue(answer.decoderResult().isSuccess(), "a well-formed answer: " + answer.decoderResult());
            if (answer.status().equals(HttpResponseStatus.CONTINUE)) {
                answer.release();
            } else {
                answers.add(answer);
            }
        }
        return answers;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(new String(needle, StandardCharsets.ISO_8859_1));
    }

    /** Runs commands on the test thread: an EmbeddedChannel must not be written from another. */
    private static final class InlineExecutor extends AbstractExecutorService {
        private boolean shutdown;

        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
