package io.graytorrent.core.internal.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "graytorrent engine",
        description = "Connection, rate and queue limits of the torrent engine (the half-open limit is the peer wire's)")
public @interface EngineConfiguration {

    @AttributeDefinition(description = "Peer connections across all torrents")
    int maxConnections() default 200;

    @AttributeDefinition(description = "Peer connections per torrent")
    int maxConnectionsPerTorrent() default 50;

    @AttributeDefinition(description = "Download limit across all torrents, bytes per second; 0 = unlimited")
    long downloadRateLimit() default 0;

    @AttributeDefinition(description = "Upload limit across all torrents, bytes per second; 0 = unlimited")
    long uploadRateLimit() default 0;

    @AttributeDefinition(description = "Alternative (turtle) download limit across all torrents while it is on, bytes per second; 0 = unlimited")
    long altDownloadRateLimit() default 0;

    @AttributeDefinition(description = "Alternative (turtle) upload limit across all torrents while it is on, bytes per second; 0 = unlimited")
    long altUploadRateLimit() default 0;

    @AttributeDefinition(description = "The alternative limits are on, whatever the schedule says")
    boolean altSpeedEnabled() default false;

    @AttributeDefinition(description = "When the alternative limits are on by themselves, in local time: rules"
            + " 'DAYS HH:MM-HH:MM' separated by ';' (e.g. 'mon-fri 09:00-17:00; sat,sun 00:00-24:00'); empty: never")
    String altSpeedSchedule() default "";

    @AttributeDefinition(description = "Download limit of each torrent, bytes per second; 0 = unlimited")
    long torrentDownloadRateLimit() default 0;

    @AttributeDefinition(description = "Upload limit of each torrent, bytes per second; 0 = unlimited")
    long torrentUploadRateLimit() default 0;

    @AttributeDefinition(description = "Torrents downloading at once; more wait QUEUED")
    int maxActiveDownloads() default 5;

    @AttributeDefinition(description = "Torrents seeding at once; more wait QUEUED")
    int maxActiveSeeds() default 10;

    @AttributeDefinition(description = "Pieces failing their hash check that a peer may send before it is banned")
    int banThreshold() default 3;

    @AttributeDefinition(description = "Seconds between choke rounds")
    int chokeIntervalSeconds() default 10;

    @AttributeDefinition(description = "Seconds an optimistic unchoke lasts before it rotates")
    int optimisticRotationSeconds() default 30;

    @AttributeDefinition(description = "Seconds between resume-data checkpoints of a running torrent (also on stop and completion)")
    int checkpointIntervalSeconds() default 30;

    @AttributeDefinition(description = "Where added torrents' data goes when no directory is given; empty: ${graytorrent.home}/downloads")
    String defaultSaveDirectory() default "";

    @AttributeDefinition(description = "Largest info dictionary a magnet link's torrent may fetch from peers, bytes (BEP 9 metadata_size)")
    int maxMetadataSize() default 4 * 1024 * 1024;

    @AttributeDefinition(description = "Bytes of partly received pieces held in memory across all torrents, hashed and"
            + " written whole when complete; pieces begun past it are written block by block and hashed from disk")
    long maxBufferedPieceBytes() default 64L << 20;

    @AttributeDefinition(description = "Seconds a downloading torrent (or a magnet link fetching its metadata) may make no"
            + " progress before its status says why (gray get prints it once)")
    int stallSeconds() default 30;
}
