package io.graytorrent.bencode;

/**
 * Bounds on what a decoder accepts, so that hostile input cannot exhaust the stack or the heap.
 *
 * @param maxInputLength  largest input accepted, in bytes
 * @param maxDepth        deepest nesting of lists and dictionaries
 * @param maxStringLength longest byte string
 * @param maxElements     most values (of any type) in one input
 */
public record BencodeLimits(int maxInputLength, int maxDepth, int maxStringLength, int maxElements) {

    /** Large enough for any real .torrent file (libtorrent refuses larger ones too). */
    public static final BencodeLimits DEFAULT = new BencodeLimits(32 << 20, 64, 32 << 20, 2_000_000);

    public BencodeLimits {
        if (maxInputLength < 1 || maxDepth < 1 || maxStringLength < 0 || maxElements < 1) {
            throw new IllegalArgumentException("bencode limits must be positive");
        }
    }
}
