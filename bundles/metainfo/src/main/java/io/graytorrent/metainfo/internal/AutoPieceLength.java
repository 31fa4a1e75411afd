package io.graytorrent.metainfo.internal;

/**
 * The piece length libtorrent 2.0's {@code create_torrent} picks when asked for "automatic": the
 * smallest power of two from 16 KiB up to 16 MiB whose piece list stays near {@code 2 * sqrt(total)}
 * bytes of hashes. The thresholds are {@code (2 * pieceLength / 20)^2} rounded, checked against
 * libtorrent 2.0.8 at both sides of every step.
 */
public final class AutoPieceLength {
    private static final int SMALLEST = 16 * 1024;
    /** The largest total that still gets the i-th piece length, {@code SMALLEST << i}. */
    private static final long[] LARGEST_TOTAL = {
        2_684_355L, 10_737_418L, 42_949_673L, 171_798_692L, 687_194_767L, 2_748_779_069L,
        10_995_116_278L, 43_980_465_111L, 175_921_860_444L, 703_687_441_777L,
    };

    private AutoPieceLength() {
    }

    public static int forTotal(long totalLength) {
        int step = 0;
        while (step < LARGEST_TOTAL.length && totalLength > LARGEST_TOTAL[step]) {
            step++;
        }
        return SMALLEST << step;
    }
}
