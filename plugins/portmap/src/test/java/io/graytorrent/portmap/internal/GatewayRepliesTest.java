package io.graytorrent.portmap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.testkit.Unit;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@Unit
class GatewayRepliesTest {

    private static SsdpReply ssdp(String text) throws GatewayReplyException {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return SsdpReply.parse(bytes, bytes.length);
    }

    @Test
    void anSsdpAnswerGivesItsLocationWhateverTheHeadersCase() throws Exception {
        SsdpReply reply = ssdp("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nst: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                + "Location: http://10.77.0.1:39377/rootDesc.xml\r\nSERVER: Debian/12 UPnP/1.1 MiniUPnPd/2.3.1\r\n\r\n");
        assertEquals(URI.create("http://10.77.0.1:39377/rootDesc.xml"), reply.location());
        assertEquals("urn:schemas-upnp-org:device:InternetGatewayDevice:1", reply.searchTarget());
    }

    @Test
    void anSsdpAnswerThatIsNoneOrPointsAnywhereButHttpIsRefused() {
        assertThrows(GatewayReplyException.class, () -> ssdp("NOTIFY * HTTP/1.1\r\nLOCATION: http://a/\r\n\r\n"));
        assertThrows(GatewayReplyException.class, () -> ssdp("HTTP/1.1 404 Not Found\r\nLOCATION: http://a/\r\n\r\n"));
        assertThrows(GatewayReplyException.class, () -> ssdp("HTTP/1.1 200 OK\r\nST: x\r\n\r\n"));
        assertThrows(GatewayReplyException.class, () -> ssdp("HTTP/1.1 200 OK\r\nLOCATION: file:///etc/passwd\r\n\r\n"));
        assertThrows(GatewayReplyException.class, () -> ssdp("HTTP/1.1 200 OK\r\nLOCATION: http://[bad\r\n\r\n"));
        byte[] big = new byte[SsdpReply.MAX_BYTES + 1];
        assertThrows(GatewayReplyException.class, () -> SsdpReply.parse(big, big.length));
    }

    private static final String DESCRIPTION = """
            <?xml version="1.0"?>
            <root xmlns="urn:schemas-upnp-org:device-1-0"><device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:2</deviceType>
            <serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType>
            <controlURL>/ctl/L3F</controlURL></service></serviceList>
            <deviceList><device><deviceList><device><serviceList>
            <service><serviceType>urn:schemas-upnp-org:service:WANPPPConnection:1</serviceType><controlURL>/ctl/PPP</controlURL></service>
            <service>
              <serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>
              <controlURL>/ctl/IPConn?a=1&amp;b=2</controlURL>
            </service>
            </serviceList></device></deviceList></device></deviceList></device></root>
            """;

    @Test
    void theDescriptionGivesTheIpConnectionServiceBeforePppWithItsControlUrlMadeAbsolute() throws Exception {
        IgdDescription igd = IgdDescription.parse(DESCRIPTION, URI.create("http://10.77.0.1:5000/rootDesc.xml"));
        assertEquals("urn:schemas-upnp-org:service:WANIPConnection:1", igd.serviceType());
        assertEquals(URI.create("http://10.77.0.1:5000/ctl/IPConn?a=1&b=2"), igd.controlUrl());
    }

    @Test
    void aUrlBaseAndNamespacePrefixesAreHonoured() throws Exception {
        String xml = "<r:root xmlns:r=\"urn:schemas-upnp-org:device-1-0\"><r:URLBase>http://192.168.1.1:80/</r:URLBase>"
                + "<r:service><r:serviceType>urn:schemas-upnp-org:service:WANIPConnection:2</r:serviceType>"
                + "<r:controlURL>upnp/control</r:controlURL></r:service></r:root>";
        IgdDescription igd = IgdDescription.parse(xml, URI.create("http://10.0.0.1:1/desc.xml"));
        assertEquals(URI.create("http://192.168.1.1:80/upnp/control"), igd.controlUrl());
        assertEquals("urn:schemas-upnp-org:service:WANIPConnection:2", igd.serviceType());
    }

    @Test
    void aDescriptionWithoutAWanConnectionOrWithAForeignControlUrlIsRefused() {
        URI location = URI.create("http://10.77.0.1/");
        assertThrows(GatewayReplyException.class, () -> IgdDescription.parse(DESCRIPTION.replace("WAN", "LAN"), location));
        assertThrows(GatewayReplyException.class, () -> IgdDescription.parse(
                "<service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>"
                        + "<controlURL>file:///x</controlURL></service>", location));
        assertThrows(GatewayReplyException.class, () -> IgdDescription.parse("<service><serviceType>urn:schemas-upnp-org:"
                + "service:WANIPConnection:1</serviceType><controlURL>/x", location), "an element never closed");
        assertThrows(GatewayReplyException.class, () -> IgdDescription.parse("<a/>".repeat(IgdDescription.MAX_CHARS), location));
    }

    @Test
    void soapAnswersAndFaults() throws Exception {
        String ok = "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
                + "<u:GetExternalIPAddressResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">"
                + "<NewExternalIPAddress>11.22.33.44</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body></s:Envelope>";
        assertEquals("11.22.33.44", SoapReply.value(200, ok, "NewExternalIPAddress"));
        String fault = "<s:Envelope><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail>"
                + "<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>725</errorCode>"
                + "<errorDescription>OnlyPermanentLeasesSupported</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>";
        GatewayReplyException e = assertThrows(GatewayReplyException.class, () -> SoapReply.check(500, fault));
        assertEquals(725, e.code());
        assertEquals("UPnP error 725 OnlyPermanentLeasesSupported", e.getMessage());
        assertThrows(GatewayReplyException.class, () -> SoapReply.value(200, "<x/>", "NewExternalIPAddress"));
        assertEquals(0, assertThrows(GatewayReplyException.class, () -> SoapReply.check(501, "")).code());
        assertEquals(0, assertThrows(GatewayReplyException.class,
                () -> SoapReply.check(500, "<errorCode></errorCode>")).code(), "an empty code (found by fuzzing)");
    }

    @Test
    void addressesFromAGatewayAreLiteralsOnly() throws Exception {
        assertEquals(InetAddress.getByName("11.22.33.44"), UpnpGateway.literal("11.22.33.44"));
        assertEquals(InetAddress.getByName("2001:db8::1"), UpnpGateway.literal("2001:db8::1"));
        for (String bad : List.of("", "example.com", "1.2.3", "1.2.3.256", "1.2.3.4.5", "abc.def", "1234", "fe80::1%eth0")) {
            assertThrows(GatewayReplyException.class, () -> UpnpGateway.literal(bad), bad);
        }
    }

    @Test
    void natPmpAnswersAreCheckedToTheByte() throws Exception {
        byte[] address = {0, (byte) 128, 0, 0, 0, 0, 1, 39, 11, 22, 33, 44};
        NatPmpPacket.Address parsed = NatPmpPacket.parseAddress(address, address.length);
        assertEquals(InetAddress.getByName("11.22.33.44"), parsed.external());
        assertEquals(295, parsed.epoch());
        byte[] mapping = {0, (byte) 130, 0, 0, 0, 0, 1, 39, 0x41, (byte) 0xe1, 0x41, (byte) 0xe2, 0, 0, 0, 60};
        NatPmpPacket.Mapping map = NatPmpPacket.parseMapping(mapping, mapping.length, NatPmpPacket.OP_MAP_TCP);
        assertEquals(16865, map.internalPort());
        assertEquals(16866, map.externalPort());
        assertEquals(60, map.lifetimeSeconds());
        assertThrows(GatewayReplyException.class, () -> NatPmpPacket.parseMapping(mapping, mapping.length, NatPmpPacket.OP_MAP_UDP));
        assertThrows(GatewayReplyException.class, () -> NatPmpPacket.parseMapping(mapping, 15, NatPmpPacket.OP_MAP_TCP));
        byte[] refused = {0, (byte) 130, 0, 2, 0, 0, 1, 39};
        GatewayReplyException e = assertThrows(GatewayReplyException.class,
                () -> NatPmpPacket.parseMapping(refused, refused.length, NatPmpPacket.OP_MAP_TCP));
        assertEquals(2, e.code());
        assertEquals("NAT-PMP result 2 (not authorized)", e.getMessage());
    }

    @Test
    void theDefaultGatewayComesFromTheKernelsRouteTable() {
        List<String> routes = List.of(
                "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
                "lanpeer\t00004D0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                "lanpeer\t00000000\t01004D0A\t0003\t0\t0\t0\t00000000\t0\t0\t0");
        assertEquals("10.77.0.1", DefaultGateway.parse(routes).orElseThrow().getHostAddress());
        assertEquals(Optional.empty(), DefaultGateway.parse(routes.subList(0, 2)));
    }
}
