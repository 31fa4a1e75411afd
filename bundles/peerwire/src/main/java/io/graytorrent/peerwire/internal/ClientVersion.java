package io.graytorrent.peerwire.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who we say we are to peers, from the build's version (build.properties, filled in by Maven): the
 * BEP 20 peer id prefix ({@code -GY0100-} for 0.1.0) and the extension handshake's {@code v}
 * ({@code graytorrent 0.1.0}). Both carry the release numbers only: a peer id has four characters
 * for the version, and a qualifier such as -SNAPSHOT means nothing to another client.
 */
public final class ClientVersion {
    /** BEP 20 client code; not in BEP 20's list, nor used by any client we know of. */
    static final String CLIENT_CODE = "GY";
    private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(?:[-.].*)?");
    /** In a peer id each version number is one character: 0-9, then A-Z for 10 to 35. */
    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /** The project version this bundle was built as, e.g. 0.1.0-SNAPSHOT. */
    public static final String BUILD_VERSION = buildVersion();
    public static final String PEER_ID_PREFIX = peerIdPrefix(BUILD_VERSION);
    public static final String CLIENT_NAME = clientName(BUILD_VERSION);

    private ClientVersion() {
    }

    /** {@code -GY} and the version's major, minor and patch number, then {@code 0} and {@code -}. */
    static String peerIdPrefix(String version) {
        Matcher release = release(version);
        StringBuilder prefix = new StringBuilder("-").append(CLIENT_CODE);
        for (int group = 1; group <= 3; group++) {
            int number = Integer.parseInt(release.group(group));
            if (number >= DIGITS.length()) {
                throw new IllegalArgumentException("version " + version + " has a number a peer id cannot hold");
            }
            prefix.append(DIGITS.charAt(number));
        }
        return prefix.append("0-").toString();
    }

    /** {@code graytorrent} and the release numbers. */
    static String clientName(String version) {
        Matcher release = release(version);
        return "graytorrent " + release.group(1) + "." + release.group(2) + "." + release.group(3);
    }

    private static Matcher release(String version) {
        Matcher release = RELEASE.matcher(version);
        if (!release.matches()) {
            throw new IllegalArgumentException("not a MAJOR.MINOR.PATCH version: " + version);
        }
        return release;
    }

    private static String buildVersion() {
        Properties properties = new Properties();
        try (InputStream in = ClientVersion.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the bundle");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("build.properties cannot be read", e);
        }
        return properties.getProperty("version");
    }
}
