package io.graytorrent.core.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BInteger;
import io.graytorrent.bencode.BencodeDecoder;
import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.core.internal.metadata.MetadataMessage;
import io.graytorrent.core.internal.metadata.MetadataProtocolException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lying peer (see {@link SocketPeer}): it offers ut_metadata of the true size and answers every
 * request with a piece of a forged dictionary of that size.
 */
final class ForgingMetadataPeer extends SocketPeer {
    private static final int OUR_UT_METADATA_ID = 3;
    private static final byte[] EXTENSION_PROTOCOL_ONLY = {0, 0, 0, 0, 0, 0x10, 0, 0};

    private final byte[] forged;
    final AtomicInteger piecesForged = new AtomicInteger();

    ForgingMetadataPeer(InfoHash infoHash, byte[] info) throws IOException {
        super(infoHash, EXTENSION_PROTOCOL_ONLY, "-XX0001-forgedforged");
        this.forged = info.clone();
        forged[forged.length / 2] ^= 1;
    }

    @Override
    void converse(DataInputStream in, DataOutputStream out) throws IOException {
        writeExtended(out, 0, BencodeEncoder.encode(Map.of("m", Map.of("ut_metadata", OUR_UT_METADATA_ID),
                "metadata_size", forged.length)));
        int theirId = -1;
        while (true) {
            Extended message = readExtended(in);
            if (message.id() == 0) {
                BDictionary handshake = (BDictionary) new BencodeDecoder().decode(message.payload());
                theirId = (int) ((BInteger) ((BDictionary) handshake.get("m").orElseThrow()).get("ut_metadata")
                        .orElseThrow()).value();
            } else if (message.id() == OUR_UT_METADATA_ID && theirId > 0
                    && decode(message.payload()) instanceof MetadataMessage.Request request) {
                int start = request.piece() * MetadataMessage.PIECE_LENGTH;
                byte[] slice = Arrays.copyOfRange(forged, start, Math.min(forged.length, start + MetadataMessage.PIECE_LENGTH));
                writeExtended(out, theirId, new MetadataMessage.Data(request.piece(), forged.length, slice).encode());
                piecesForged.incrementAndGet();
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
