package io.graytorrent.storage.internal;

import io.graytorrent.api.InfoHash;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.metainfo.PieceLayers;
import io.graytorrent.storage.DiskPool;
import io.graytorrent.api.FilePriority;
import io.graytorrent.storage.StorageConfig;
import io.graytorrent.storage.StorageException;
import io.graytorrent.storage.StorageException.Reason;
import io.graytorrent.storage.StorageService;
import io.graytorrent.storage.TorrentStorage;
import io.graytorrent.storage.internal.ResumeData.FileStamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens torrents, deciding from the resume record what can be trusted and what must be re-hashed. */
public final class DiskStorageService implements StorageService {
    private static final Logger LOG = LoggerFactory.getLogger(DiskStorageService.class);

    /** Replaced whole by {@link #reconfigure}; a torrent opened later takes the allocation mode of then. */
    private volatile StorageConfig config;
    private final BoundedDiskPool pool;
    private final FileHandles handles;
    private final Set<InfoHash> openTorrents = ConcurrentHashMap.newKeySet();

    public DiskStorageService(StorageConfig config) {
        this.config = config;
        this.pool = new BoundedDiskPool(config.diskThreads(), config.highWatermarkBytes(), config.lowWatermarkBytes());
        this.handles = new FileHandles(config.maxOpenFiles());
    }

    /** Applies new settings to the running storage; the state directory stays. No open torrent is disturbed. */
    public void reconfigure(StorageConfig changed) {
        config = new StorageConfig(config.stateDirectory(), changed.diskThreads(), changed.maxOpenFiles(),
                changed.highWatermarkBytes(), changed.lowWatermarkBytes(), changed.allocation());
        pool.reconfigure(changed.diskThreads(), changed.highWatermarkBytes(), changed.lowWatermarkBytes());
        handles.setCapacity(changed.maxOpenFiles());
    }

    @Override
    public CompletableFuture<TorrentStorage> open(Metainfo metainfo, Path saveDirectory, List<FilePriority> priorities) {
        FileLayout map;
        try {
            map = new FileLayout(metainfo);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new StorageException(Reason.INVALID_REQUEST, e.getMessage()));
        }
        if (!priorities.isEmpty() && priorities.size() != map.fileCount()) {
            return CompletableFuture.failedFuture(new StorageException(Reason.INVALID_REQUEST,
                    priorities.size() + " priorities for " + map.fileCount() + " files"));
        }
        if (!openTorrents.add(metainfo.infoHash())) {
            return CompletableFuture.failedFuture(new StorageException(Reason.INVALID_REQUEST,
                    "torrent " + metainfo.infoHash() + " is already open"));
        }
        CompletableFuture<TorrentStorage> opened = pool.submit(0, () -> openNow(metainfo, map, saveDirectory, priorities));
        opened.whenComplete((storage, failure) -> {
            if (failure != null) {
                openTorrents.remove(metainfo.infoHash());
            }
        });
        return opened;
    }

    @Override
    public CompletableFuture<Void> move(Metainfo metainfo, Path from, Path to) {
        FileLayout map;
        try {
            map = new FileLayout(metainfo);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new StorageException(Reason.INVALID_REQUEST, e.getMessage()));
        }
        if (!openTorrents.add(metainfo.infoHash())) {
            return CompletableFuture.failedFuture(new StorageException(Reason.INVALID_REQUEST,
                    "torrent " + metainfo.infoHash() + " is open; close it before moving its data"));
        }
        CompletableFuture<Void> moved = pool.submit(0, () -> {
            moveNow(metainfo, map, from.toAbsolutePath().normalize(), to.toAbsolutePath().normalize());
            return null;
        });
        return moved.whenComplete((done, failure) -> openTorrents.remove(metainfo.infoHash()));
    }

    /** Moves the files, then points the resume record at the new place with the moved files' stamps. */
    private void moveNow(Metainfo metainfo, FileLayout map, Path from, Path to) throws Exception {
        if (from.equals(to)) {
            return;
        }
        TorrentFiles source = new TorrentFiles(metainfo, map, from, handles, config.allocation());
        TorrentFiles target = new TorrentFiles(metainfo, map, to, handles, config.allocation());
        handles.closeAll(source.allPaths());
        long copied = new DataMove(source.allPaths(), target.allPaths(), from).run();
        LOG.info("torrent {}: data moved from {} to {} ({})", metainfo.infoHash(), from, to,
                copied == 0 ? "renamed" : copied + " bytes copied");
        Path resumeFile = config.stateDirectory().resolve(metainfo.infoHash().toHex() + ".resume");
        ResumeData resume = readResume(resumeFile, metainfo, map, from.toString());
        if (resume != null) {
            io.graytorrent.storage.AtomicFiles.write(resumeFile, new ResumeData(resume.infoHash(), to.toString(),
                    resume.pieces(), map.pieceCount(), resume.priorities(), moved(resume.files(), target.stamps()),
                    resume.parts().size() < 0 ? resume.parts() : target.partsStamp()).encode());
        }
    }

    /** The stamps after the move where the record knew the file; a file the record saw absent stays absent. */
    private static List<FileStamp> moved(List<FileStamp> recorded, List<FileStamp> now) {
        List<FileStamp> stamps = new java.util.ArrayList<>();
        for (int file = 0; file < recorded.size(); file++) {
            FileStamp before = recorded.get(file);
            stamps.add(before.size() == now.get(file).size() ? now.get(file) : before);
        }
        return stamps;
    }

    private TorrentStorage openNow(Metainfo metainfo, FileLayout map, Path saveDirectory, List<FilePriority> requested)
            throws IOException {
        Path saveTo = saveDirectory.toAbsolutePath().normalize();
        Path resumeFile = config.stateDirectory().resolve(metainfo.infoHash().toHex() + ".resume");
        TorrentFiles files = new TorrentFiles(metainfo, map, saveTo, handles, config.allocation());
        ResumeData resume = readResume(resumeFile, metainfo, map, saveTo.toString());
        List<FilePriority> priorities = !requested.isEmpty() ? List.copyOf(requested)
                : resume != null ? resume.priorities()
                : Collections.nCopies(map.fileCount(), FilePriority.NORMAL);
        files.locate(priorities);

        Optional<PieceLayers> layers = metainfo.v2().map(PieceLayers::of);
        BitSet verified = resume == null ? new BitSet() : resume.pieces();
        BitSet recheck = resume == null ? allPieces(map) : changedPieces(resume, files, map);
        verified.andNot(recheck);
        StorageException failure = null;
        try {
            if (!recheck.isEmpty()) {
                BitSet good = new PieceVerifier(metainfo, map, files, layers).matching(recheck, (checked, total) -> { });
                LOG.info("torrent {}: {} of {} re-hashed pieces are good", metainfo.infoHash(), good.cardinality(),
                        recheck.cardinality());
                verified.or(good);
            }
            files.prepare(priorities, verified);
        } catch (Exception e) {
            failure = Failures.classify(e);
        }
        DiskTorrentStorage storage = new DiskTorrentStorage(metainfo, layers, map, files, pool, resumeFile,
                saveTo.toString(), verified, priorities, () -> openTorrents.remove(metainfo.infoHash()));
        try {
            if (failure == null) {
                storage.writeResume();
            }
        } catch (Exception e) {
            failure = Failures.classify(e);
        }
        if (failure != null) {
            // the torrent opens in error, keeping what was verified; retry() once the cause is fixed
            storage.enterError(failure);
        }
        return storage;
    }

    private static BitSet allPieces(FileLayout map) {
        BitSet all = new BitSet(map.pieceCount());
        all.set(0, map.pieceCount());
        return all;
    }

    /** Pieces touching a file whose size or mtime differs from the record (parts-file bytes included). */
    private static BitSet changedPieces(ResumeData resume, TorrentFiles files, FileLayout map) throws IOException {
        List<FileStamp> now = files.stamps();
        boolean partsChanged = !files.partsStamp().equals(resume.parts());
        BitSet changed = new BitSet(map.pieceCount());
        for (int file = 0; file < map.fileCount(); file++) {
            boolean fileChanged = files.inParts(file) ? partsChanged : !now.get(file).equals(resume.files().get(file));
            if (fileChanged && map.firstPiece(file) >= 0) {
                changed.set(map.firstPiece(file), map.lastPiece(file) + 1);
            }
        }
        return changed;
    }

    /** The record if it exists, is intact and belongs to this torrent at this place; else null (hash all). */
    private static ResumeData readResume(Path resumeFile, Metainfo metainfo, FileLayout map, String savePath)
            throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(resumeFile);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            ResumeData resume = ResumeData.decode(bytes, map.pieceCount());
            if (!resume.infoHash().equals(metainfo.infoHash()) || !resume.savePath().equals(savePath)
                    || resume.files().size() != map.fileCount() || resume.priorities().size() != map.fileCount()) {
                LOG.info("resume record {} is for another torrent or place; re-hashing", resumeFile);
                return null;
            }
            return resume;
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring resume record {}: {}", resumeFile, e.getMessage());
            return null;
        }
    }

    @Override
    public DiskPool diskPool() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
        handles.close();
    }
}
