package io.graytorrent.storage;

import java.nio.file.Path;

/**
 * Settings of a {@link StorageService}.
 *
 * @param stateDirectory     where resume records live ({@code GRAY_HOME/state})
 * @param diskThreads        threads of the disk pool (writes, reads, SHA-1)
 * @param maxOpenFiles       file handles kept open across all torrents (leased handles may
 *                           exceed it briefly; they close when released)
 * @param highWatermarkBytes bytes waiting for the disk above which the pool reports overload
 * @param lowWatermarkBytes  bytes waiting below which {@link DiskPool#whenDrained()} completes
 * @param allocation         how new files are allocated
 */
public record StorageConfig(
        Path stateDirectory,
        int diskThreads,
        int maxOpenFiles,
        long highWatermarkBytes,
        long lowWatermarkBytes,
        AllocationMode allocation) {

    public StorageConfig {
        if (diskThreads < 1 || maxOpenFiles < 1) {
            throw new IllegalArgumentException("diskThreads and maxOpenFiles must be at least 1");
        }
        if (lowWatermarkBytes < 0 || lowWatermarkBytes > highWatermarkBytes) {
            throw new IllegalArgumentException("need 0 <= lowWatermarkBytes <= highWatermarkBytes");
        }
    }

    /** Two disk threads, 64 open files, 32 MiB high / 16 MiB low watermark, sparse files. */
    public static StorageConfig defaults(Path stateDirectory) {
        return new StorageConfig(stateDirectory, 2, 64, 32L << 20, 16L << 20, AllocationMode.SPARSE);
    }

    public StorageConfig withAllocation(AllocationMode mode) {
        return new StorageConfig(stateDirectory, diskThreads, maxOpenFiles, highWatermarkBytes, lowWatermarkBytes, mode);
    }
}
