package io.graytorrent.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.testkit.LeftoverProcesses;
import io.graytorrent.testkit.Slow;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server configured with {@code tls=true} serves HTTPS, and the {@code gray} client reaches it
 * trusting exactly the certificate the server recorded in GRAY_HOME; plain HTTP gets nowhere.
 */
@Timeout(240)
@Slow
@ExtendWith(LeftoverProcesses.class)
class TlsCliIT {
    private static final String PASSWORD = "tls-it-password";

    @TempDir
    Path work;
    private GrayCommand gray;

    @Test
    void theClientDrivesAnHttpsServerPinnedToItsCertificate() throws Exception {
        Path keystore = keystore("endpoint");
        gray = GrayCommand.configured(work, "io.graytorrent.control.cfg", "tls=true\nkeystorePath=" + keystore
                + "\nkeystorePassword=" + PASSWORD + "\n");
        Path home = work.resolve("home");
        byte[] bytes = new byte[300_000];
        new Random(3).nextBytes(bytes);
        Files.createDirectories(work.resolve("data"));
        Files.write(work.resolve("data/payload.bin"), bytes);
        try {
            GrayCommand.Result started = GrayCommand.assertSucceeds(gray.run("server", "start", "--web"));
            int port = Integer.parseInt(Files.readString(home.resolve("control.port")).trim());
            assertEquals("https", Files.readString(home.resolve("control.scheme")).trim());
            assertTrue(started.out().contains("web UI: https://127.0.0.1:" + port + "/"), started.toString());
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(home.resolve("control.pem"))));

            GrayCommand.assertSucceeds(gray.run("create", "data/payload.bin", "-o", "payload.torrent"));
            GrayCommand.Result added = GrayCommand.assertSucceeds(gray.run("add", "payload.torrent", "--paused"));
            GrayCommand.Result listed = GrayCommand.assertSucceeds(gray.run("ls"));
            assertTrue(listed.out().contains("payload.bin"), added + "\n" + listed);

            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpRequest overHttp = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/status"))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer "
                            + Files.readString(home.resolve("control.token")).trim()).build();
            assertThrows(IOException.class, () -> plain.send(overHttp, HttpResponse.BodyHandlers.ofString()),
                    "plain HTTP does not get through the TLS endpoint");

            // another certificate recorded in GRAY_HOME: the client trusts only that one, so it refuses this server
            Files.writeString(home.resolve("control.pem"), certificatePem(keystore("impostor"), "impostor"));
            GrayCommand.Result refused = gray.run("ls");
            assertNotEquals(0, refused.exit(), refused.toString());
            assertTrue(refused.err().startsWith("error: the server at https://127.0.0.1:" + port + " is not the one whose"
                    + " certificate is in GRAY_HOME/control.pem"), refused.toString());
        } finally {
            gray.run("server", "stop");
        }
    }

    /** A fresh self-signed PKCS12 keystore naming 127.0.0.1, made by the JDK's keytool. */
    private Path keystore(String alias) throws Exception {
        Path keystore = work.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + alias, "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD);
        return keystore;
    }

    private String certificatePem(Path keystore, String alias) throws Exception {
        Path pem = work.resolve(alias + ".pem");
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", pem.toString());
        return Files.readString(pem);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = Stream.concat(
                Stream.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()), Stream.of(args)).toList();
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            assertTrue(keytool.waitFor(30, TimeUnit.SECONDS), "keytool finished");
            assertEquals(0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes()));
        } finally {
            keytool.destroyForcibly();
        }
    }
}
