package io.graytorrent.portmap.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/**
 * A NAT-PMP server (RFC 6886) on the default gateway, port 5351: our public address, and mappings
 * of our port for UDP and TCP. Each request is sent up to {@value #TRIES} times, waiting 250 ms and
 * doubling (RFC 6886, 3.1, cut short: a gateway on the LAN answers in milliseconds); only an answer
 * from the gateway itself is read. Blocking calls.
 */
public final class NatPmpGateway {
    static final int TRIES = 4;

    private final InetSocketAddress server;

    public NatPmpGateway(InetAddress gateway) {
        this.server = new InetSocketAddress(gateway, NatPmpPacket.PORT);
    }

    public InetSocketAddress server() {
        return server;
    }

    public NatPmpPacket.Address externalAddress() throws IOException, GatewayReplyException {
        byte[] answer = exchange(NatPmpPacket.addressRequest());
        return NatPmpPacket.parseAddress(answer, answer.length);
    }

    /** Maps {@code port} for {@code protocol} (TCP or UDP), asking for the same external port; lifetime 0 deletes it. */
    public NatPmpPacket.Mapping map(String protocol, int port, long lifetimeSeconds) throws IOException, GatewayReplyException {
        int op = "UDP".equals(protocol) ? NatPmpPacket.OP_MAP_UDP : NatPmpPacket.OP_MAP_TCP;
        byte[] answer = exchange(NatPmpPacket.mapRequest(op, port, lifetimeSeconds == 0 ? 0 : port, lifetimeSeconds));
        return NatPmpPacket.parseMapping(answer, answer.length, op);
    }

    private byte[] exchange(byte[] request) throws IOException, GatewayReplyException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(server); // answers from anyone else are not received
            byte[] buffer = new byte[64];
            int wait = 250;
            for (int attempt = 0; attempt < TRIES; attempt++, wait *= 2) {
                socket.send(new DatagramPacket(request, request.length));
                socket.setSoTimeout(wait);
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                    byte[] answer = new byte[packet.getLength()];
                    System.arraycopy(packet.getData(), 0, answer, 0, answer.length);
                    return answer;
                } catch (SocketTimeoutException e) {
                    // send again
                }
            }
        }
        throw new GatewayReplyException("no NAT-PMP answer from " + server.getAddress().getHostAddress() + " after " + TRIES + " tries");
    }

    @Override
    public String toString() {
        return server.getAddress().getHostAddress() + ":" + server.getPort();
    }
}
