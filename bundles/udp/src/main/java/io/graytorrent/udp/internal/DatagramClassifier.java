package io.graytorrent.udp.internal;

import io.graytorrent.udp.DatagramKind;
import java.nio.ByteBuffer;

/** Tells a datagram's {@link DatagramKind} from its first bytes, as {@link DatagramKind} describes. */
public final class DatagramClassifier {
    /** BEP 29's header: type, version, extension, connection id, two timestamps, window, seq, ack. */
    static final int UTP_HEADER_LENGTH = 20;
    private static final int UTP_VERSION = 1;
    /** ST_DATA 0, ST_FIN 1, ST_STATE 2, ST_RESET 3, ST_SYN 4. */
    private static final int UTP_LAST_TYPE = 4;

    private DatagramClassifier() {
    }

    /** The kind of the buffer's remaining bytes, or null for none; the buffer is not moved. */
    public static DatagramKind classify(ByteBuffer datagram) {
        if (!datagram.hasRemaining()) {
            return null;
        }
        int first = datagram.get(datagram.position()) & 0xff;
        if (first == 'd') {
            return DatagramKind.KRPC;
        }
        if ((first & 0x0f) == UTP_VERSION && first >> 4 <= UTP_LAST_TYPE && datagram.remaining() >= UTP_HEADER_LENGTH) {
            return DatagramKind.UTP;
        }
        return null;
    }
}
