package io.graytorrent.storage.internal;

import io.graytorrent.api.RuntimeProperties;
import org.osgi.framework.BundleContext;
import io.graytorrent.metainfo.Metainfo;
import io.graytorrent.storage.AllocationMode;
import io.graytorrent.storage.DiskPool;
import io.graytorrent.api.FilePriority;
import io.graytorrent.storage.StorageConfig;
import io.graytorrent.storage.StorageService;
import io.graytorrent.storage.TorrentStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The {@link StorageService} of an OSGi runtime, configured through Configuration Admin. */
@Component(service = StorageService.class, immediate = true, configurationPid = StorageComponent.PID)
@Designate(ocd = StorageComponent.Config.class)
public final class StorageComponent implements StorageService {
    static final String PID = "io.graytorrent.storage";

    @ObjectClassDefinition(name = "graytorrent storage", description = "Disk pool, open files and resume records")
    public @interface Config {
        @AttributeDefinition(description = "Threads doing disk I/O and SHA-1 for all torrents")
        int diskThreads() default 2;

        @AttributeDefinition(description = "Files kept open across all torrents")
        int maxOpenFiles() default 64;

        @AttributeDefinition(description = "Bytes waiting for the disk above which peers should stop being read")
        long highWatermarkBytes() default 32L << 20;

        @AttributeDefinition(description = "Bytes waiting for the disk below which reading resumes")
        long lowWatermarkBytes() default 16L << 20;

        @AttributeDefinition(description = "How new files are allocated",
                options = {@Option(label = "sparse", value = "sparse"), @Option(label = "full", value = "full")})
        String allocation() default "sparse";
    }

    private DiskStorageService storage;

    @Activate
    void activate(BundleContext context, Config config) {
        storage = new DiskStorageService(toStorageConfig(config, RuntimeProperties.stateDirectory(context::getProperty)));
    }

    /** Every key applies live, so a changed .cfg never restarts the engine that depends on this service. */
    @Modified
    void modified(BundleContext context, Config config) {
        storage.reconfigure(toStorageConfig(config, RuntimeProperties.stateDirectory(context::getProperty)));
    }

    @Deactivate
    void deactivate() {
        storage.close();
    }

    static StorageConfig toStorageConfig(Config config, Path stateDirectory) {
        return new StorageConfig(stateDirectory, config.diskThreads(), config.maxOpenFiles(),
                config.highWatermarkBytes(), config.lowWatermarkBytes(),
                AllocationMode.valueOf(config.allocation().toUpperCase(Locale.ROOT)));
    }

    @Override
    public CompletableFuture<TorrentStorage> open(Metainfo metainfo, Path saveDirectory, List<FilePriority> priorities) {
        return storage.open(metainfo, saveDirectory, priorities);
    }

    @Override
    public CompletableFuture<Void> move(Metainfo metainfo, Path from, Path to) {
        return storage.move(metainfo, from, to);
    }

    @Override
    public DiskPool diskPool() {
        return storage.diskPool();
    }

    @Override
    public void close() {
        // the framework ends this service by deactivating the component
    }
}
