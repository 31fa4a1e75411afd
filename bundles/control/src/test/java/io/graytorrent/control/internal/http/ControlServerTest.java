package io.graytorrent.control.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.control.internal.auth.Authenticator;
import io.graytorrent.control.internal.auth.LoginSessions;
import io.graytorrent.control.internal.command.CommandRoutes;
import io.graytorrent.control.internal.web.WebAssets;
import io.graytorrent.testkit.Await;
import io.graytorrent.testkit.Unit;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoint over real sockets with a real Gogo command processor. */
@Unit
class ControlServerTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef0123456789abcdef";

    /** Commands under test, registered in scope bt like the real ones. */
    public static final class TestCommands {
        public List<String> calls = new java.util.ArrayList<>();

        @Descriptor("echo the arguments")
        public String echo(CommandSession session, String... args) {
            calls.add(String.join("|", args));
            return String.join("|", args) + " in " + session.currentDir();
        }

        public void fail(String why) {
            throw new IllegalArgumentException("failed because " + why);
        }

        public volatile boolean interrupted;
        public final java.util.concurrent.CountDownLatch foreverStarted = new java.util.concurrent.CountDownLatch(1);

        public void forever() {
            foreverStarted.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }

        public String quiet(long millis) throws InterruptedException {
            Thread.sleep(millis);
            return "done after " + millis + " ms";
        }

        public void progress() {
            System.out.print("10%\r");
            System.out.print("100%\n");
        }
    }

    private final ThreadIOImpl threadIO = new ThreadIOImpl();
    private final TestCommands commands = new TestCommands();
    private CommandProcessorImpl processor;
    private ControlServer server;
    private CommandRoutes commandRoutes;

    @BeforeEach
    void start() throws Exception {
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
        for (String function : List.of("echo", "fail", "progress", "forever", "quiet")) {
            processor.addCommand("bt", commands, function);
        }
        commandRoutes = new CommandRoutes(processor, 2);
        server = new ControlServer(new ControlServer.Settings("127.0.0.1", 0, 4096, null),
                new Authenticator(TOKEN, new LoginSessions(Duration.ofMinutes(1), 4, System::nanoTime), false),
                routerWithCommands());
    }

    private Router routerWithCommands() {
        Router router = new Router();
        commandRoutes.register(router);
        new WebAssets(ControlServerTest.class.getClassLoader()).register(router);
        return router;
    }

    @AfterEach
    void stop() {
        server.close();
        commandRoutes.close();
        processor.stop();
        threadIO.stop();
    }

    @Test
    void runsACommandAndStreamsItsResultAndExitCode() throws IOException {
        String response = post(hostHeader(), "Bearer " + TOKEN, null,
                "{\"args\":[\"echo\",\"a b\",\"$x\",\"; bt:fail x\"],\"cwd\":\"/tmp\",\"tty\":false}");
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertTrue(response.contains("{\"out\":\"a b|$x|; bt:fail x in /tmp\\n\"}"), response);
        assertTrue(response.contains("{\"exit\":0}"), response);
        assertEquals(List.of("a b|$x|; bt:fail x"), commands.calls, "arguments arrive verbatim, never parsed");
    }

    @Test
    void aFailingCommandGivesItsMessageAndExitCodeOne() throws IOException {
        String response = post(hostHeader(), "Bearer " + TOKEN, null, "{\"args\":[\"fail\",\"disk\"],\"cwd\":\"/\"}");
        assertTrue(response.contains("{\"err\":\"error: failed because disk\\n\"}"), response);
        assertTrue(response.contains("{\"exit\":1}"), response);
    }

    @Test
    void unknownAndMalformedCommandNamesExitTwo() throws IOException {
        String unknown = post(hostHeader(), "Bearer " + TOKEN, null, "{\"args\":[\"nosuch\"],\"cwd\":\"/\"}");
        assertTrue(unknown.contains("unknown command: nosuch") && unknown.contains("{\"exit\":2}"), unknown);
        String scoped = post(hostHeader(), "Bearer " + TOKEN, null, "{\"args\":[\"felix:lb\"],\"cwd\":\"/\"}");
        assertTrue(scoped.contains("not a command name") && scoped.contains("{\"exit\":2}"), scoped);
    }

    @Test
    void outputArrivesAtCarriageReturnsForProgressBars() throws IOException {
        String response = post(hostHeader(), "Bearer " + TOKEN, null, "{\"args\":[\"progress\"],\"cwd\":\"/\"}");
        assertTrue(response.contains("{\"out\":\"10%\\r\"}") && response.contains("{\"out\":\"100%\\n\"}"), response);
    }

    @Test
    void aCommandMayRunLongerThanTheRequestTimeoutButARequestMayNotTakeThatLong() throws Exception {
        server.close();
        server = new ControlServer(new ControlServer.Settings("127.0.0.1", 0, 4096, null, Duration.ofMillis(500)),
                new Authenticator(TOKEN, new LoginSessions(Duration.ofMinutes(1), 4, System::nanoTime), false),
                routerWithCommands());
        String response = post(hostHeader(), "Bearer " + TOKEN, null, "{\"args\":[\"quiet\",\"2000\"],\"cwd\":\"/\"}");
        assertTrue(response.contains("done after 2000 ms") && response.contains("{\"exit\":0}"), response);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("POST /api/v1/command HTTP/1.1\r\nHost: " + hostHeader())
                    .getBytes(StandardCharsets.UTF_8));
            socket.setSoTimeout(10_000);
            assertEquals(-1, socket.getInputStream().read(), "a half-sent request is dropped without an answer");
        }
    }

    @Test
    void aClientThatHangsUpInterruptsItsCommand() throws Exception {
        byte[] body = "{\"args\":[\"forever\"],\"cwd\":\"/\"}".getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("POST /api/v1/command HTTP/1.1\r\nHost: " + hostHeader()
                    + "\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(body);
            socket.setSoTimeout(10_000);
            assertTrue(new String(socket.getInputStream().readNBytes(15), StandardCharsets.UTF_8).startsWith("HTTP/1.1 200"));
            // hang up only once the command runs (before that, cancelling means it never runs at all)
            assertTrue(commands.foreverStarted.await(10, java.util.concurrent.TimeUnit.SECONDS));
        }
        Await.until("the command interrupted when its client went away", Duration.ofSeconds(10), () -> commands.interrupted);
    }

    @Test
    void refusesMissingAndWrongTokensWithoutRunningAnything() throws IOException {
        String body = "{\"args\":[\"echo\",\"x\"],\"cwd\":\"/\"}";
        assertTrue(post(hostHeader(), null, null, body).startsWith("HTTP/1.1 401"));
        assertTrue(post(hostHeader(), "Bearer " + TOKEN.replace('0', '1'), null, body).startsWith("HTTP/1.1 401"));
        assertTrue(post(hostHeader(), TOKEN, null, body).startsWith("HTTP/1.1 401"));
        assertEquals(List.of(), commands.calls);
    }

    @Test
    void refusesForeignHostAndOriginAgainstRebindingAndCsrf() throws IOException {
        String body = "{\"args\":[\"echo\",\"x\"],\"cwd\":\"/\"}";
        String rebound = post("evil.example:" + server.port(), "Bearer " + TOKEN, null, body);
        assertTrue(rebound.startsWith("HTTP/1.1 403") && rebound.contains("forbidden_host"), rebound);
        String crossSite = post(hostHeader(), "Bearer " + TOKEN, "http://evil.example", body);
        assertTrue(crossSite.startsWith("HTTP/1.1 403") && crossSite.contains("forbidden_origin"), crossSite);
        assertTrue(post(hostHeader(), "Bearer " + TOKEN, "http://" + hostHeader(), body).startsWith("HTTP/1.1 200"));
        assertEquals(List.of("x"), commands.calls);
    }

    @Test
    void refusesOversizedAndMalformedBodies() throws IOException {
        String huge = "{\"args\":[\"echo\",\"" + "x".repeat(5000) + "\"],\"cwd\":\"/\"}";
        String tooLarge = post(hostHeader(), "Bearer " + TOKEN, null, huge);
        assertTrue(tooLarge.startsWith("HTTP/1.1 413") && tooLarge.contains("\"code\":\"too_large\""), tooLarge);
        for (String bad : List.of("not json", "{\"args\":[],\"cwd\":\"/\"}", "{\"args\":[\"echo\"],\"cwd\":\"rel\"}",
                "{\"args\":[\"echo\",1],\"cwd\":\"/\",\"x\":1}", "[1,2]")) {
            String response = post(hostHeader(), "Bearer " + TOKEN, null, bad);
            assertTrue(response.startsWith("HTTP/1.1 400") && response.contains("bad_request"), bad + " -> " + response);
        }
        assertEquals(List.of(), commands.calls);
    }

    @Test
    void refusesOversizedHeadersLengthClaimsAndChunkedBodiesWithoutRunningAnything() throws IOException {
        String head = "POST /api/v1/command HTTP/1.1\r\nHost: " + hostHeader() + "\r\nAuthorization: Bearer " + TOKEN;
        String hugeHeader = send(head + "\r\nX-Padding: " + "x".repeat(20_000) + "\r\nContent-Length: 2\r\n\r\n{}");
        assertTrue(hugeHeader.startsWith("HTTP/1.1 400") && hugeHeader.contains("bad_request"), hugeHeader);
        String hugeLine = send("POST /api/v1/command?" + "x".repeat(8000) + " HTTP/1.1\r\nHost: " + hostHeader()
                + "\r\n\r\n");
        assertTrue(hugeLine.startsWith("HTTP/1.1 400") && hugeLine.contains("bad_request"), hugeLine);
        // a 1 GiB claim is refused on the header: no byte of the body was sent
        String claim = send(head + "\r\nContent-Length: 1073741824\r\n\r\n");
        assertTrue(claim.startsWith("HTTP/1.1 413") && claim.contains("too_large"), claim);
        String chunk = Integer.toHexString(3000) + "\r\n" + "x".repeat(3000) + "\r\n";
        String chunked = send(head + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "0\r\n\r\n");
        assertTrue(chunked.startsWith("HTTP/1.1 413") && chunked.contains("too_large"), chunked);
        assertEquals(List.of(), commands.calls);
    }

    @Test
    void refusesUnsupportedExpectationsWithAJsonError() throws IOException {
        // found by ControlEndpointFuzzTest: Netty's own 417 had an empty body
        String response = send("POST /api/v1/command HTTP/1.1\r\nHost: " + hostHeader() + "\r\nAuthorization: Bearer " + TOKEN
                + "\r\nExpect: 100-continue/ap\r\nContent-Length: 2\r\n\r\n{}");
        assertTrue(response.startsWith("HTTP/1.1 417") && response.contains("\"code\":\"expectation_failed\""), response);
        assertEquals(List.of(), commands.calls);
    }

    @Test
    void aSecondRequestPipelinedOnTheConnectionIsDroppedNotRun() throws IOException {
        String first = "{\"args\":[\"echo\",\"first\"],\"cwd\":\"/\"}";
        String second = "{\"args\":[\"echo\",\"second\"],\"cwd\":\"/\"}";
        String head = "POST /api/v1/command HTTP/1.1\r\nHost: " + hostHeader() + "\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: ";
        String response = send(head + first.length() + "\r\n\r\n" + first + head + second.length() + "\r\n\r\n" + second);
        assertTrue(response.contains("first") && !response.contains("second"), response);
        assertEquals(List.of("first"), commands.calls, "the connection closes after one answer, so nothing else runs");
    }

    @Test
    void statusNeedsTheTokenToo() throws IOException {
        assertTrue(send("GET /api/v1/status HTTP/1.1\r\nHost: " + hostHeader() + "\r\n\r\n").startsWith("HTTP/1.1 401"));
        String ok = send("GET /api/v1/status HTTP/1.1\r\nHost: " + hostHeader() + "\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n");
        assertTrue(ok.startsWith("HTTP/1.1 200") && ok.contains("\"running\""), ok);
    }

    @Test
    void theWebUiNeedsNoTokenButARightHostWhileTheApiBesideItStillDoes() throws IOException {
        String page = send("GET / HTTP/1.1\r\nHost: " + hostHeader() + "\r\n\r\n");
        assertTrue(page.startsWith("HTTP/1.1 200") && page.toLowerCase().contains("content-security-policy:"), page);
        String rebound = send("GET / HTTP/1.1\r\nHost: evil.example:" + server.port() + "\r\n\r\n");
        assertTrue(rebound.startsWith("HTTP/1.1 403") && rebound.contains("forbidden_host"), rebound);
        assertTrue(send("GET /api/v1/status HTTP/1.1\r\nHost: " + hostHeader() + "\r\n\r\n").startsWith("HTTP/1.1 401"));
        String unknownApi = send("GET /api/v1/nosuch HTTP/1.1\r\nHost: " + hostHeader() + "\r\n\r\n");
        assertTrue(unknownApi.startsWith("HTTP/1.1 404") && unknownApi.contains("no such endpoint"), unknownApi);
    }

    private String hostHeader() {
        return "127.0.0.1:" + server.port();
    }

    private String post(String host, String authorization, String origin, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder("POST /api/v1/command HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        if (authorization != null) {
            request.append("Authorization: ").append(authorization).append("\r\n");
        }
        if (origin != null) {
            request.append("Origin: ").append(origin).append("\r\n");
        }
        request.append("Connection: close\r\nContent-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n\r\n").append(body);
        return send(request.toString());
    }

    private String send(String request) throws IOException {
        return RawHttp.exchange(server.port(), request);
    }
}
