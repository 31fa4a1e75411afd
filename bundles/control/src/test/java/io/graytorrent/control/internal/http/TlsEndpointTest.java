package io.graytorrent.control.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.control.internal.auth.Authenticator;
import io.graytorrent.control.internal.auth.LoginAndCsrfTest;
import io.graytorrent.control.internal.auth.LoginLimiter;
import io.graytorrent.control.internal.auth.LoginSessions;
import io.graytorrent.control.internal.auth.SessionRoutes;
import io.graytorrent.testkit.Slow;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a keystore made at test time by the JDK's keytool, and a client that trusts only its certificate. */
@Timeout(60)
@Slow
class TlsEndpointTest {
    private static final char[] PASSWORD = "test-password".toCharArray();

    @TempDir
    Path dir;

    @Test
    void servesTheApiOverTlsAndMarksTheCookieSecure() throws Exception {
        Path keystore = generateKeystore();
        Authenticator authenticator = new Authenticator(LoginAndCsrfTest.TOKEN,
                new LoginSessions(Duration.ofMinutes(5), 8, System::nanoTime), true);
        Router router = new Router();
        new SessionRoutes(authenticator, new LoginLimiter(3, Duration.ofMinutes(1), System::nanoTime)).register(router);
        try (ControlServer server = new ControlServer(new ControlServer.Settings("127.0.0.1", 0, 4096,
                TlsContexts.server(keystore, PASSWORD).context()), authenticator, router)) {
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
            HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port()
                            + "/api/v1/login")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + LoginAndCsrfTest.TOKEN + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, login.statusCode(), login.body());
            String cookie = login.headers().firstValue("set-cookie").orElseThrow();
            assertTrue(cookie.contains("Secure") && cookie.contains("SameSite=Strict"), cookie);

            HttpClient plain = HttpClient.newHttpClient();
            assertThrows(java.io.IOException.class, () -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/api/v1/session")).build(), HttpResponse.BodyHandlers.ofString()),
                    "plain HTTP does not get through a TLS endpoint");
        }
    }

    @Test
    void presentsTheKeystoresCertificateAsPemForClientsToPin() throws Exception {
        Path keystore = generateKeystore();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        Certificate pinned = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(
                TlsContexts.server(keystore, PASSWORD).certificatePem().getBytes(StandardCharsets.US_ASCII)));
        assertEquals(store.getCertificate("endpoint"), pinned);
    }

    @Test
    void aWrongKeystorePasswordIsAClearError() throws Exception {
        Path keystore = generateKeystore();
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> TlsContexts.server(keystore, "wrong".toCharArray()));
        assertTrue(refused.getMessage().contains(keystore.toString()), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> TlsContexts.server(dir.resolve("missing.p12"), PASSWORD));
    }

    @Test
    void aKeystoreWithSeveralKeysIsRefusedForTheClientCouldNotTellWhichCertificateToTrust() throws Exception {
        Path keystore = generateKeystore();
        addKey(keystore, "second");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> TlsContexts.server(keystore, PASSWORD));
        assertTrue(refused.getMessage().contains("exactly one key, not 2"), refused.getMessage());
    }

    private Path generateKeystore() throws Exception {
        Path keystore = dir.resolve("endpoint.p12");
        Files.deleteIfExists(keystore);
        addKey(keystore, "endpoint");
        return keystore;
    }

    private static void addKey(Path keystore, String alias) throws Exception {
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", new String(PASSWORD)).redirectErrorStream(true).start();
        try {
            assertTrue(keytool.waitFor(30, TimeUnit.SECONDS), "keytool finished");
            assertEquals(0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes()));
        } finally {
            keytool.destroyForcibly();
        }
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trusted.load(in, PASSWORD);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
