package io.graytorrent.core.internal.blocklist;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * Address ranges of both families, merged (overlapping and adjacent ranges become one) into sorted
 * parallel arrays, looked up by binary search: O(log n) with no allocation, cheap enough for every
 * candidate and every incoming connection. An IPv4 range costs 8 bytes, an IPv6 range 32. Immutable.
 *
 * <p>IPv4 addresses are kept as unsigned 32-bit values (in ints, compared unsigned); IPv6 addresses as
 * two unsigned 64-bit halves. An IPv4-mapped IPv6 address is an IPv4 address ({@link InetAddress}
 * already gives it as one).
 */
public final class IpRanges {
    public static final IpRanges EMPTY = new Builder().build();

    private final int[] v4Starts;
    private final int[] v4Ends;
    private final long[] v6StartsHigh;
    private final long[] v6StartsLow;
    private final long[] v6EndsHigh;
    private final long[] v6EndsLow;

    private IpRanges(int[] v4Starts, int[] v4Ends, long[] v6StartsHigh, long[] v6StartsLow, long[] v6EndsHigh,
            long[] v6EndsLow) {
        this.v4Starts = v4Starts;
        this.v4Ends = v4Ends;
        this.v6StartsHigh = v6StartsHigh;
        this.v6StartsLow = v6StartsLow;
        this.v6EndsHigh = v6EndsHigh;
        this.v6EndsLow = v6EndsLow;
    }

    public int ipv4Ranges() {
        return v4Starts.length;
    }

    public int ipv6Ranges() {
        return v6StartsHigh.length;
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return address instanceof Inet4Address ? containsV4(toInt(bytes, 0)) : containsV6(toLong(bytes, 0), toLong(bytes, 8));
    }

    /** {@code address}: an IPv4 address as an unsigned 32-bit value in an int. */
    public boolean containsV4(int address) {
        int low = 0;
        int high = v4Starts.length - 1;
        while (low <= high) { // the last range starting at or before the address
            int mid = (low + high) >>> 1;
            if (Integer.compareUnsigned(v4Starts[mid], address) <= 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return high >= 0 && Integer.compareUnsigned(address, v4Ends[high]) <= 0;
    }

    public boolean containsV6(long addressHigh, long addressLow) {
        int low = 0;
        int high = v6StartsHigh.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (compare(v6StartsHigh[mid], v6StartsLow[mid], addressHigh, addressLow) <= 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return high >= 0 && compare(addressHigh, addressLow, v6EndsHigh[high], v6EndsLow[high]) <= 0;
    }

    static int compare(long aHigh, long aLow, long bHigh, long bLow) {
        int byHigh = Long.compareUnsigned(aHigh, bHigh);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(aLow, bLow);
    }

    static int toInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16 | (bytes[offset + 2] & 0xff) << 8
                | bytes[offset + 3] & 0xff;
    }

    static long toLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | bytes[offset + i] & 0xff;
        }
        return value;
    }

    /**
     * Collects ranges in any order, then sorts and merges them. Not thread-safe; grows by doubling, so
     * a million ranges are added in amortised constant time each.
     */
    public static final class Builder {
        /** IPv4: start << 32 | end, both unsigned, sorted as unsigned longs. */
        private long[] v4 = new long[64];
        private int v4Count;
        /** IPv6: startHigh, startLow, endHigh, endLow per range. */
        private long[] v6 = new long[64];
        private int v6Count;

        /** Adds {@code first}..{@code last} inclusive, of one family; a reversed range is taken the right way round. */
        public Builder add(InetAddress first, InetAddress last) {
            byte[] a = first.getAddress();
            byte[] b = last.getAddress();
            if (a.length != b.length) {
                throw new IllegalArgumentException("a range's ends are of two families: " + first + ", " + last);
            }
            if (a.length == 4) {
                return addV4(toInt(a, 0), toInt(b, 0));
            }
            return addV6(toLong(a, 0), toLong(a, 8), toLong(b, 0), toLong(b, 8));
        }

        public Builder addV4(int first, int last) {
            if (Integer.compareUnsigned(first, last) > 0) {
                return addV4(last, first);
            }
            if (v4Count == v4.length) {
                v4 = Arrays.copyOf(v4, v4.length * 2);
            }
            v4[v4Count++] = (long) first << 32 | last & 0xffffffffL;
            return this;
        }

        public Builder addV6(long firstHigh, long firstLow, long lastHigh, long lastLow) {
            if (compare(firstHigh, firstLow, lastHigh, lastLow) > 0) {
                return addV6(lastHigh, lastLow, firstHigh, firstLow);
            }
            if (v6Count * 4 == v6.length) {
                v6 = Arrays.copyOf(v6, v6.length * 2);
            }
            v6[v6Count * 4] = firstHigh;
            v6[v6Count * 4 + 1] = firstLow;
            v6[v6Count * 4 + 2] = lastHigh;
            v6[v6Count * 4 + 3] = lastLow;
            v6Count++;
            return this;
        }

        /** Ranges added so far, before merging. */
        public long added() {
            return (long) v4Count + v6Count;
        }

        public IpRanges build() {
            long[] sorted = Arrays.copyOf(v4, v4Count);
            for (int i = 0; i < sorted.length; i++) {
                sorted[i] ^= Long.MIN_VALUE; // sorted signed, in unsigned order: 128.0.0.0 and up last
            }
            Arrays.sort(sorted);
            int[] starts = new int[sorted.length];
            int[] ends = new int[sorted.length];
            int n = 0;
            for (long packed : sorted) {
                long unsigned = packed ^ Long.MIN_VALUE;
                int start = (int) (unsigned >>> 32);
                int end = (int) unsigned;
                // merge with the previous range when it overlaps or touches (end + 1 == start, no overflow past 0xffffffff)
                if (n > 0 && (ends[n - 1] == -1 || Integer.compareUnsigned(start, ends[n - 1] + 1) <= 0)) {
                    if (Integer.compareUnsigned(end, ends[n - 1]) > 0) {
                        ends[n - 1] = end;
                    }
                } else {
                    starts[n] = start;
                    ends[n] = end;
                    n++;
                }
            }
            long[][] v6Merged = v6Ranges();
            return new IpRanges(Arrays.copyOf(starts, n), Arrays.copyOf(ends, n), v6Merged[0], v6Merged[1], v6Merged[2],
                    v6Merged[3]);
        }

        private long[][] v6Ranges() {
            Integer[] order = new Integer[v6Count];
            for (int i = 0; i < v6Count; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> compare(v6[x * 4], v6[x * 4 + 1], v6[y * 4], v6[y * 4 + 1]));
            long[][] merged = new long[4][v6Count];
            int n = 0;
            for (int i : order) {
                long startHigh = v6[i * 4];
                long startLow = v6[i * 4 + 1];
                long endHigh = v6[i * 4 + 2];
                long endLow = v6[i * 4 + 3];
                if (n > 0 && touches(merged[2][n - 1], merged[3][n - 1], startHigh, startLow)) {
                    if (compare(endHigh, endLow, merged[2][n - 1], merged[3][n - 1]) > 0) {
                        merged[2][n - 1] = endHigh;
                        merged[3][n - 1] = endLow;
                    }
                } else {
                    merged[0][n] = startHigh;
                    merged[1][n] = startLow;
                    merged[2][n] = endHigh;
                    merged[3][n] = endLow;
                    n++;
                }
            }
            for (int k = 0; k < 4; k++) {
                merged[k] = Arrays.copyOf(merged[k], n);
            }
            return merged;
        }

        /** Whether a range starting at {@code start} overlaps or follows directly one ending at {@code end}. */
        private static boolean touches(long endHigh, long endLow, long startHigh, long startLow) {
            if (endHigh == -1 && endLow == -1) {
                return true;
            }
            long nextLow = endLow + 1;
            long nextHigh = nextLow == 0 ? endHigh + 1 : endHigh;
            return compare(startHigh, startLow, nextHigh, nextLow) <= 0;
        }
    }
}
