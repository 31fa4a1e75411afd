package io.graytorrent.portmap.internal;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What we need of an Internet Gateway Device's description (the XML at the SSDP {@code LOCATION}):
 * the first WAN connection service, IP before PPP, version 2 before 1, and its control URL made
 * absolute (against {@code URLBase}, else the description's own URL). Outside input: at most
 * {@value #MAX_CHARS} characters and {@value #MAX_SERVICES} services are read.
 *
 * @param serviceType e.g. {@code urn:schemas-upnp-org:service:WANIPConnection:1}
 * @param controlUrl  where its SOAP actions are posted, http only
 */
public record IgdDescription(String serviceType, URI controlUrl) {
    public static final int MAX_CHARS = 64 << 10;
    static final int MAX_SERVICES = 64;
    private static final List<String> PREFERRED = List.of("urn:schemas-upnp-org:service:WANIPConnection:2",
            "urn:schemas-upnp-org:service:WANIPConnection:1", "urn:schemas-upnp-org:service:WANPPPConnection:1");

    public static IgdDescription parse(String xml, URI location) throws GatewayReplyException {
        if (xml.length() > MAX_CHARS) {
            throw new GatewayReplyException("a device description of " + xml.length() + " characters");
        }
        List<String> services = XmlText.blocks(xml, "service", MAX_SERVICES);
        for (String wanted : PREFERRED) {
            for (String service : services) {
                Optional<String> type = XmlText.text(service, "serviceType");
                Optional<String> control = XmlText.text(service, "controlURL");
                if (type.isPresent() && type.get().equals(wanted) && control.isPresent() && !control.get().isEmpty()) {
                    URI base = location;
                    Optional<String> urlBase = XmlText.text(xml, "URLBase");
                    if (urlBase.isPresent() && !urlBase.get().isEmpty()) {
                        base = SsdpReply.httpUri(urlBase.get());
                    }
                    try {
                        return new IgdDescription(wanted, SsdpReply.httpUri(base.resolve(control.get()).toString()));
                    } catch (IllegalArgumentException e) {
                        throw new GatewayReplyException("a control URL that is no URL: " + e.getMessage());
                    }
                }
            }
        }
        throw new GatewayReplyException("no WANIPConnection or WANPPPConnection service in the device description");
    }
}
