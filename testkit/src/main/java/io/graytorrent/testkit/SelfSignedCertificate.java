package io.graytorrent.testkit;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed EC certificate for 127.0.0.1 made by the JDK's {@code keytool}, written as PEM for a
 * server ({@code cert.pem}, {@code key.pem}) and as a PKCS12 trust store for a client.
 *
 * @param certificate the certificate, PEM
 * @param key         its private key, PKCS#8 PEM
 * @param trustStore  a PKCS12 store with the certificate as its only trusted entry
 */
public record SelfSignedCertificate(Path certificate, Path key, Path trustStore) {
    static final String TRUST_STORE = "trust.p12";

    /** Makes the certificate in {@code directory}; {@code password} protects both stores. */
    public static SelfSignedCertificate make(Path directory, String password) throws Exception {
        Path serverStore = directory.resolve("server.p12");
        Files.deleteIfExists(serverStore);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", serverStore.toString(), "-storepass", password)
                .redirectErrorStream(true).redirectOutput(directory.resolve("keytool.log").toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError("keytool failed: " + Files.readString(directory.resolve("keytool.log")));
        }
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverStore)) {
            server.load(in, password.toCharArray());
        }
        Certificate certificate = server.getCertificate("server");
        Key key = server.getKey("server", password.toCharArray());
        SelfSignedCertificate made = new SelfSignedCertificate(directory.resolve("cert.pem"), directory.resolve("key.pem"),
                directory.resolve(TRUST_STORE));
        Files.writeString(made.certificate(), pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(made.key(), pem("PRIVATE KEY", key.getEncoded()));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        try (OutputStream out = Files.newOutputStream(made.trustStore())) {
            trust.store(out, password.toCharArray());
        }
        return made;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
