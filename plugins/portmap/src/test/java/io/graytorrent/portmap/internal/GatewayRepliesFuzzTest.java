package io.graytorrent.portmap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.graytorrent.fuzz.AllocationBudget;
import io.graytorrent.fuzz.FuzzBudget;
import io.graytorrent.testkit.Slow;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a gateway sends back, as the port mapper reads it (first byte: which reply; the rest: its
 * bytes): an SSDP answer (an http location, or {@link GatewayReplyException}), a device description
 * (a WAN connection service with an absolute http control URL, or the exception), a SOAP answer (an
 * external address literal or a fault with its code), a NAT-PMP answer to an address or a mapping
 * request (checked to the byte). Nothing else escapes, no name is looked up. Seeds in
 * src/test/resources/io/graytorrent/portmap/internal/GatewayRepliesFuzzTestInputs/parsesOrRefuses/.
 */
@Slow
class GatewayRepliesFuzzTest {
    /**
     * 4 KiB a byte: while fuzzing, Jazzer's string-compare hooks allocate kilobytes for every tag and header
     * name compared, and a tag can be every 3 bytes (as for the magnet target); 512 KiB
     * fixed: the JDK's URI parsing and resolution of a location and a control URL.
     */
    private static final AllocationBudget MEMORY = new AllocationBudget(512 << 10, 4096);
    private static final URI LOCATION = URI.create("http://10.77.0.1:5000/rootDesc.xml");

    @FuzzTest(maxDuration = FuzzBudget.MAX_DURATION)
    void parsesOrRefuses(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] reply = Arrays.copyOfRange(input, 1, input.length);
        MEMORY.check(reply.length, () -> {
            try {
                read(input[0] & 3, reply);
            } catch (GatewayReplyException expected) {
                // the contract: our own error for a reply that is not one we take
            }
        });
    }

    private static void read(int kind, byte[] reply) throws GatewayReplyException {
        String text = new String(reply, StandardCharsets.UTF_8);
        switch (kind) {
            case 0 -> {
                SsdpReply ssdp = SsdpReply.parse(reply, reply.length);
                assertEquals("http", ssdp.location().getScheme().toLowerCase(java.util.Locale.ROOT));
            }
            case 1 -> {
                IgdDescription igd = IgdDescription.parse(text, LOCATION);
                assertTrue(igd.controlUrl().isAbsolute() && igd.controlUrl().getHost() != null, igd.toString());
                assertTrue(igd.serviceType().startsWith("urn:schemas-upnp-org:service:WAN"), igd.serviceType());
            }
            case 2 -> {
                try {
                    UpnpGateway.literal(SoapReply.value(200, text, "NewExternalIPAddress"));
                } catch (GatewayReplyException e) {
                    assertTrue(e.code() >= 0 && e.code() <= 9999, e.getMessage());
                }
            }
            default -> {
                if (reply.length > 0 && (reply[0] & 1) == 0) {
                    NatPmpPacket.parseAddress(reply, reply.length);
                } else {
                    NatPmpPacket.Mapping mapping = NatPmpPacket.parseMapping(reply, reply.length, NatPmpPacket.OP_MAP_TCP);
                    assertTrue(mapping.externalPort() <= 65535 && mapping.lifetimeSeconds() <= 0xffffffffL);
                }
            }
        }
    }
}
