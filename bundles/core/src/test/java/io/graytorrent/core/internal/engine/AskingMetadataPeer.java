package io.graytorrent.core.internal.engine;

import static io.graytorrent.testkit.ScriptedPeer.readExtended;
import static io.graytorrent.testkit.ScriptedPeer.writeExtended;

import io.graytorrent.api.InfoHash;
import io.graytorrent.bencode.BDictionary;
import io.graytorrent.bencode.BInteger;
import io.graytorrent.bencode.BencodeDecoder;
import io.graytorrent.bencode.BencodeEncoder;
import io.graytorrent.core.internal.metadata.MetadataMessage;
import io.graytorrent.testkit.ScriptedPeer;
import io.graytorrent.testkit.ScriptedPeer.Extended;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A peer (see {@link ScriptedPeer.Listening}) that asks the engine for metadata pieces {@code 0} and
 * {@code outOfRange}, records the answers and the {@code metadata_size} the engine announced, then
 * sends a ut_metadata message that is not bencode.
 */
final class AskingMetadataPeer extends ScriptedPeer.Listening {
    private static final int OUR_UT_METADATA_ID = 3;
    private final int outOfRange;
    final CompletableFuture<Optional<Long>> announcedSize = new CompletableFuture<>();
    final List<MetadataMessage> answers = new CopyOnWriteArrayList<>();

    AskingMetadataPeer(InfoHash infoHash, int outOfRange) throws IOException {
        super(infoHash.toBytes(), new byte[] {0, 0, 0, 0, 0, 0x10, 0, 0}, "-XX0001-askingasking");
        this.outOfRange = outOfRange;
    }

    @Override
    protected void converse(DataInputStream in, DataOutputStream out) throws IOException {
        writeExtended(out, 0, BencodeEncoder.encode(Map.of("m", Map.of("ut_metadata", OUR_UT_METADATA_ID))));
        while (true) {
            Extended message = readExtended(in);
            if (message.id() == 0) {
                BDictionary handshake = (BDictionary) new BencodeDecoder().decode(message.payload());
                announcedSize.complete(handshake.get("metadata_size").map(size -> ((BInteger) size).value()));
                int theirId = (int) ((BInteger) ((BDictionary) handshake.get("m").orElseThrow()).get("ut_metadata")
                        .orElseThrow()).value();
                writeExtended(out, theirId, new MetadataMessage.Request(0).encode());
                writeExtended(out, theirId, new MetadataMessage.Request(outOfRange).encode());
                writeExtended(out, theirId, "garbage".getBytes());
            } else if (message.id() == OUR_UT_METADATA_ID) {
                answers.add(HostileMetadataPeer.decode(message.payload()));
            }
        }
    }
}
