package io.graytorrent.storage;

import io.graytorrent.storage.internal.DiskStorageService;

/** Entry point for programs that use storage as a plain library (no OSGi). */
public final class Storages {
    private Storages() {
    }

    public static StorageService create(StorageConfig config) {
        return new DiskStorageService(config);
    }
}
