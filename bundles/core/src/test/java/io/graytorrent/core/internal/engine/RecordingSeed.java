package io.graytorrent.core.internal.engine;

import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.testkit.ScriptedPeer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An honest seed on the wire (see {@link ScriptedPeer.Listening}) that notes the piece of every REQUEST
 * it receives, in the order they came: what the test reads to see the order our picker asks in. It
 * claims every piece, unchokes at once and serves each block from the files below {@code root}.
 */
final class RecordingSeed extends ScriptedPeer.Listening {
    private final Metainfo metainfo;
    private final Path root;
    /** The piece of each REQUEST, in arrival order. */
    final List<Integer> requestedPieces = new CopyOnWriteArrayList<>();

    RecordingSeed(Metainfo metainfo, Path root) throws IOException {
        super(metainfo.infoHash().toBytes(), new byte[8], "-XX0001-orderorderor");
        this.metainfo = metainfo;
        this.root = root;
    }

    @Override
    protected void converse(DataInputStream in, DataOutputStream out) throws IOException {
        ScriptedPeer.writeSeedOpening(out, metainfo.pieceCount());
        out.flush();
        while (true) {
            int length = in.readInt();
            byte[] message = new byte[length];
            in.readFully(message);
            if (length == 13 && message[0] == 6) {
                ByteBuffer request = ByteBuffer.wrap(message, 1, 12);
                int piece = request.getInt();
                int offset = request.getInt();
                int blockLength = request.getInt();
                requestedPieces.add(piece);
                out.writeInt(9 + blockLength);
                out.writeByte(7);
                out.writeInt(piece);
                out.writeInt(offset);
                out.write(read((long) piece * metainfo.pieceLength() + offset, blockLength));
                out.flush();
            }
        }
    }

    /** The torrent's bytes at {@code position}, across file boundaries. */
    private byte[] read(long position, int length) throws IOException {
        byte[] block = new byte[length];
        int done = 0;
        for (FileEntry file : metainfo.files()) {
            long start = file.offset();
            long end = start + file.length();
            while (done < length && position + done >= start && position + done < end && file.isPadding()) {
                done += (int) Math.min(length - done, end - (position + done)); // zeros, never on disk
            }
            while (done < length && position + done >= start && position + done < end) {
                Path path = metainfo.multiFile() ? root.resolve(metainfo.name()) : root;
                for (String component : file.path()) {
                    path = path.resolve(component);
                }
                try (RandomAccessFile data = new RandomAccessFile(path.toFile(), "r")) {
                    data.seek(position + done - start);
                    int chunk = (int) Math.min(length - done, end - (position + done));
                    data.readFully(block, done, chunk);
                    done += chunk;
                }
            }
        }
        return block;
    }
}
