package io.graytorrent.storage;

import io.graytorrent.api.InfoHash;
import io.graytorrent.metainfo.FileEntry;
import io.graytorrent.metainfo.Metainfo;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A torrent built in code: random content (zeros in padding files) and a Metainfo whose piece
 * hashes are computed here, so storage can be tested without the metainfo parser.
 */
public final class TestTorrent {
    public final Metainfo metainfo;
    public final byte[] content;

    private TestTorrent(Metainfo metainfo, byte[] content) {
        this.metainfo = metainfo;
        this.content = content;
    }

    /** Builds a torrent; a file spec is "path:length", or "pad:length" for a BEP 47 padding file. */
    public static TestTorrent of(String name, int pieceLength, long seed, String... fileSpecs) {
        List<FileEntry> files = new ArrayList<>();
        long offset = 0;
        for (String spec : fileSpecs) {
            String[] parts = spec.split(":");
            long length = Long.parseLong(parts[1]);
            boolean padding = parts[0].equals("pad");
            List<String> path = padding ? List.of(".pad", parts[1]) : List.of(parts[0].split("/"));
            files.add(new FileEntry(path, length, offset, padding ? "p" : ""));
            offset += length;
        }
        byte[] content = new byte[Math.toIntExact(offset)];
        new Random(seed).nextBytes(content);
        for (FileEntry file : files) {
            if (file.isPadding()) {
                Arrays.fill(content, (int) file.offset(), (int) (file.offset() + file.length()), (byte) 0);
            }
        }
        int pieces = (int) ((offset + pieceLength - 1) / pieceLength);
        byte[] hashes = new byte[pieces * Metainfo.HASH_LENGTH];
        for (int piece = 0; piece < pieces; piece++) {
            int start = piece * pieceLength;
            byte[] hash = sha1(content, start, (int) Math.min(pieceLength, offset - start));
            System.arraycopy(hash, 0, hashes, piece * Metainfo.HASH_LENGTH, Metainfo.HASH_LENGTH);
        }
        boolean multiFile = files.size() != 1 || !files.get(0).path().equals(List.of(name));
        byte[] info = (name + seed + pieceLength + List.of(fileSpecs)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Metainfo metainfo = new Metainfo(InfoHash.of(sha1(info, 0, info.length)), info, name, pieceLength, hashes,
                files, multiFile, List.of(), List.of(), false, Optional.empty(), Optional.empty(), Optional.empty());
        return new TestTorrent(metainfo, content);
    }

    public ByteBuffer piece(int index) {
        int start = index * metainfo.pieceLength();
        return ByteBuffer.wrap(content, start, metainfo.pieceLength(index)).slice();
    }

    public byte[] fileContent(int file) {
        FileEntry entry = metainfo.files().get(file);
        return Arrays.copyOfRange(content, (int) entry.offset(), (int) (entry.offset() + entry.length()));
    }

    public static byte[] sha1(byte[] bytes, int offset, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            digest.update(bytes, offset, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
