package io.graytorrent.peerwire;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Byte counters of one connection, readable from any thread. Totals count every byte on the wire;
 * payload counts only PIECE blocks, which is what the choker compares; rates are payload bytes per
 * second over the last few seconds.
 */
@ProviderType
public interface TransferStats {

    long bytesDownloaded();

    long bytesUploaded();

    long payloadDownloaded();

    long payloadUploaded();

    long downloadRate();

    long uploadRate();
}
