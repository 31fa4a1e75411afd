package io.graytorrent.portmap.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A UPnP Internet Gateway Device found by SSDP, and the three SOAP actions of its WAN connection
 * service we use: {@code GetExternalIPAddress}, {@code AddPortMapping} and {@code DeletePortMapping}
 * (WANIPConnection:1/2, WANPPPConnection:1). Blocking calls, each bounded in time and in the bytes read.
 */
public final class UpnpGateway {
    static final InetSocketAddress SSDP_GROUP = new InetSocketAddress("239.255.255.250", 1900);
    private static final String[] SEARCH_TARGETS = {"urn:schemas-upnp-org:device:InternetGatewayDevice:1",
        "urn:schemas-upnp-org:device:InternetGatewayDevice:2"};
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);

    private final IgdDescription description;
    private final InetAddress localAddress;
    private final HttpClient http;

    private UpnpGateway(IgdDescription description, InetAddress localAddress, HttpClient http) {
        this.description = description;
        this.localAddress = localAddress;
        this.http = http;
    }

    /**
     * Searches for a gateway for up to {@code wait} (M-SEARCH to 239.255.255.250:1900), reads the
     * description of the first that answers with a usable one, and returns it.
     */
    public static UpnpGateway discover(Duration wait) throws IOException, GatewayReplyException {
        // built once a gateway answers: most networks a one-shot `gray get` starts on have none, and building
        // one sets up the JDK's TLS context (~660 classes) and a selector thread
        HttpClient http = null;
        String lastProblem = "no answer to SSDP M-SEARCH within " + wait.toMillis() + " ms";
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(0))) {
            for (String target : SEARCH_TARGETS) {
                byte[] search = ("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: "
                        + Math.max(1, wait.toSeconds()) + "\r\nST: " + target + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(search, search.length, SSDP_GROUP));
            }
            long deadline = System.nanoTime() + wait.toNanos();
            byte[] buffer = new byte[SsdpReply.MAX_BYTES + 1];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new GatewayReplyException(lastProblem);
                }
                socket.setSoTimeout((int) left);
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    throw new GatewayReplyException(lastProblem);
                }
                try {
                    SsdpReply reply = SsdpReply.parse(packet.getData(), packet.getLength());
                    if (!reply.searchTarget().toLowerCase(Locale.ROOT).contains("internetgatewaydevice")) {
                        continue;
                    }
                    if (http == null) {
                        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(HTTP_TIMEOUT)
                                .followRedirects(HttpClient.Redirect.NEVER).build();
                    }
                    IgdDescription description = IgdDescription.parse(get(http, reply.location()), reply.location());
                    return new UpnpGateway(description, localAddressTowards(description.controlUrl()), http);
                } catch (GatewayReplyException | IOException e) {
                    lastProblem = packet.getAddress().getHostAddress() + ": " + e.getMessage();
                }
            }
        }
    }

    /** Our own address on the link towards {@code url}'s host: the internal client of our mappings. */
    static InetAddress localAddressTowards(URI url) throws IOException {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 80 : url.getPort()));
            return probe.getLocalAddress();
        }
    }

    private static String get(HttpClient http, URI location) throws IOException, GatewayReplyException {
        HttpRequest request = HttpRequest.newBuilder(location).timeout(HTTP_TIMEOUT).GET().build();
        HttpResponse<InputStream> response = send(http, request);
        String body = boundedBody(response.body(), IgdDescription.MAX_CHARS);
        if (response.statusCode() != 200) {
            throw new GatewayReplyException("device description: HTTP " + response.statusCode());
        }
        return body;
    }

    private static HttpResponse<InputStream> send(HttpClient http, HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String boundedBody(InputStream body, int maxBytes) throws IOException, GatewayReplyException {
        try (InputStream in = body) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new GatewayReplyException("an answer over " + maxBytes + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    public IgdDescription description() {
        return description;
    }

    /** Our address as the gateway sees us on its inside: what our mappings point to. */
    public InetAddress localAddress() {
        return localAddress;
    }

    public InetAddress externalAddress() throws IOException, GatewayReplyException {
        return literal(action("GetExternalIPAddress", "", "NewExternalIPAddress"));
    }

    /** {@link #literal}, or null for text that is no address literal. */
    static InetAddress literalOrNull(String text) {
        try {
            return literal(text);
        } catch (GatewayReplyException e) {
            return null;
        }
    }

    /**
     * An address literal from a gateway: dotted decimal IPv4, or IPv6 with at least one colon (which
     * the JDK never resolves as a name); anything else is refused, so nothing is looked up.
     */
    static InetAddress literal(String text) throws GatewayReplyException {
        String[] parts = text.split("\\.", -1);
        try {
            if (parts.length == 4 && text.length() <= 15) {
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(c -> c >= '0' && c <= '9')
                            || Integer.parseInt(parts[i]) > 255) {
                        throw new GatewayReplyException("not an address: \"" + text + "\"");
                    }
                    bytes[i] = (byte) Integer.parseInt(parts[i]);
                }
                return InetAddress.getByAddress(bytes);
            }
            if (text.indexOf(':') >= 0 && text.length() <= 45
                    && text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
                return InetAddress.getByName(text);
            }
        } catch (IOException e) {
            // an invalid IPv6 literal
        }
        throw new GatewayReplyException("not an address: \"" + (text.length() > 45 ? text.substring(0, 45) : text) + "\"");
    }

    /** Maps {@code port} on the outside to the same port of ours for {@code protocol} (TCP, UDP); 0 seconds = no expiry. */
    public void addPortMapping(String protocol, int port, long leaseSeconds, String description)
            throws IOException, GatewayReplyException {
        action("AddPortMapping", "<NewRemoteHost></NewRemoteHost><NewExternalPort>" + port + "</NewExternalPort>"
                + "<NewProtocol>" + protocol + "</NewProtocol><NewInternalPort>" + port + "</NewInternalPort>"
                + "<NewInternalClient>" + localAddress.getHostAddress() + "</NewInternalClient><NewEnabled>1</NewEnabled>"
                + "<NewPortMappingDescription>" + description + "</NewPortMappingDescription>"
                + "<NewLeaseDuration>" + leaseSeconds + "</NewLeaseDuration>", null);
    }

    public void deletePortMapping(String protocol, int port) throws IOException, GatewayReplyException {
        action("DeletePortMapping", "<NewRemoteHost></NewRemoteHost><NewExternalPort>" + port
                + "</NewExternalPort><NewProtocol>" + protocol + "</NewProtocol>", null);
    }

    /** Posts the action; returns the output argument {@code output}, or "" when none is wanted. */
    private String action(String name, String arguments, String output) throws IOException, GatewayReplyException {
        String type = description.serviceType();
        String envelope = "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""
                + " s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body><u:" + name + " xmlns:u=\"" + type
                + "\">" + arguments + "</u:" + name + "></s:Body></s:Envelope>\r\n";
        HttpRequest request = HttpRequest.newBuilder(description.controlUrl()).timeout(HTTP_TIMEOUT)
                .header("Content-Type", "text/xml; charset=\"utf-8\"").header("SOAPAction", "\"" + type + "#" + name + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope, StandardCharsets.UTF_8)).build();
        HttpResponse<InputStream> response = send(http, request);
        String body = boundedBody(response.body(), SoapReply.MAX_CHARS);
        if (output == null) {
            SoapReply.check(response.statusCode(), body);
            return "";
        }
        return SoapReply.value(response.statusCode(), body, output);
    }

    @Override
    public String toString() {
        URI control = description.controlUrl();
        return control.getHost() + ":" + (control.getPort() < 0 ? 80 : control.getPort());
    }
}
