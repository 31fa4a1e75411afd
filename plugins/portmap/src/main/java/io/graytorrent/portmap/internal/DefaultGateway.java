package io.graytorrent.portmap.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The IPv4 default gateway, where a NAT-PMP server listens: read from Linux's {@code /proc/net/route}
 * (the route with destination and mask 0, its gateway in little-endian hex). Elsewhere, none: the
 * {@code natPmpGateway} setting names it.
 */
final class DefaultGateway {
    private DefaultGateway() {
    }

    static Optional<InetAddress> find() {
        Path routes = Path.of("/proc/net/route");
        try {
            return Files.isReadable(routes) ? parse(Files.readAllLines(routes)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code lines}: /proc/net/route's, a header then "Iface Destination Gateway Flags …" columns. */
    static Optional<InetAddress> parse(List<String> lines) {
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 8 && fields[1].equals("00000000") && fields[7].equals("00000000")
                    && fields[2].length() == 8 && !fields[2].equals("00000000")) {
                try {
                    long hex = Long.parseLong(fields[2], 16);
                    byte[] address = {(byte) hex, (byte) (hex >> 8), (byte) (hex >> 16), (byte) (hex >> 24)};
                    return Optional.of(InetAddress.getByAddress(address));
                } catch (NumberFormatException | UnknownHostException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
