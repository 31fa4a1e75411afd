package io.graytorrent.core.internal.engine;

import static io.graytorrent.testkit.ScriptedPeer.readExtended;
import static io.graytorrent.testkit.ScriptedPeer.writeExtended;

import io.graytorrent.api.InfoHash;
import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BInteger;
import io.graytorrent.bencode.BencodeDecoder;
import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.core.internal.metadata.MetadataMessage;
import io.graytorrent.core.internal.metadata.MetadataProtocolException;
import io.graytorrent.testkit.ScriptedPeer;
import io.graytorrent.testkit.ScriptedPeer.Extended;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A peer (see {@link ScriptedPeer.Listening}) that offers ut_metadata and lies about it in one of the ways a
 * magnet download must survive; {@link #requests} counts the metadata requests it received.
 */
final class HostileMetadataPeer extends ScriptedPeer.Listening {
    private static final int OUR_UT_METADATA_ID = 3;
    private static final byte[] EXTENSION_PROTOCOL_ONLY = {0, 0, 0, 0, 0, 0x10, 0, 0};

    enum Lie {
        /** Announces a metadata_size of 64 MiB, over any sane cap. */
        OVERSIZED_OFFER,
        /** Announces the true size and never answers a request. */
        SILENT,
        /** Announces the true size and answers with the true bytes under a total_size one larger. */
        WRONG_TOTAL_SIZE,
        /** Announces the true size and answers with a forged dictionary of that size. */
        FORGED
    }

    private final Lie lie;
    private final byte[] served;
    final AtomicInteger requests = new AtomicInteger();

    /** Listens on 127.0.0.2. */
    HostileMetadataPeer(InfoHash infoHash, byte[] info, Lie lie) throws IOException {
        this(infoHash, info, lie, InetAddress.getByName("127.0.0.2"));
    }

    HostileMetadataPeer(InfoHash infoHash, byte[] info, Lie lie, InetAddress listenOn) throws IOException {
        super(infoHash.toBytes(), EXTENSION_PROTOCOL_ONLY, String.format("-XX0001-%-12.12s", lie.name()), listenOn);
        this.lie = lie;
        this.served = info.clone();
        if (lie == Lie.FORGED) {
            served[served.length / 2] ^= 1;
        }
    }

    @Override
    protected void converse(DataInputStream in, DataOutputStream out) throws IOException {
        long offered = lie == Lie.OVERSIZED_OFFER ? 64 << 20 : served.length;
        writeExtended(out, 0, BencodeEncoder.encode(Map.of("m", Map.of("ut_metadata", OUR_UT_METADATA_ID),
                "metadata_size", offered)));
        int theirId = -1;
        while (true) {
            Extended message = readExtended(in);
            if (message.id() == 0) {
                BDictionary handshake = (BDictionary) new BencodeDecoder().decode(message.payload());
                theirId = (int) ((BInteger) ((BDictionary) handshake.get("m").orElseThrow()).get("ut_metadata")
                        .orElseThrow()).value();
            } else if (message.id() == OUR_UT_METADATA_ID && theirId > 0
                    && decode(message.payload()) instanceof MetadataMessage.Request request) {
                requests.incrementAndGet();
                if (lie != Lie.SILENT) {
                    int start = request.piece() * MetadataMessage.PIECE_LENGTH;
                    byte[] slice = Arrays.copyOfRange(served, start, Math.min(served.length, start + MetadataMessage.PIECE_LENGTH));
                    long totalSize = lie == Lie.WRONG_TOTAL_SIZE ? served.length + 1 : served.length;
                    writeExtended(out, theirId, new MetadataMessage.Data(request.piece(), totalSize, slice).encode());
                }
            }
        }
    }

    static MetadataMessage decode(byte[] payload) throws IOException {
        try {
            return MetadataMessage.decode(payload).orElseThrow();
        } catch (MetadataProtocolException e) {
            throw new IOException("the engine sent a malformed ut_metadata message", e);
        }
    }
}
