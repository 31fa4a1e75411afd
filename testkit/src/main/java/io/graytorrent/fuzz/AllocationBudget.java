package io.graytorrent.fuzz;

import java.lang.management.ManagementFactory;

/**
 * The memory half of the fuzzing contract: handling one input may allocate at most a fixed
 * overhead plus a constant factor of the input's size, so no length field can make us reserve
 * memory the sender never paid for in bytes. Counts this thread's allocations (HotSpot).
 */
public final class AllocationBudget {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final long fixedBytes;
    private final long bytesPerInputByte;

    public AllocationBudget(long fixedBytes, long bytesPerInputByte) {
        this.fixedBytes = fixedBytes;
        this.bytesPerInputByte = bytesPerInputByte;
    }

    /**
     * Runs {@code handling} (one input's whole handling, expected errors caught inside) three times
     * and fails if the lesser of the second and third runs, past class loading and first-use
     * initialisation, allocated more than the budget for {@code inputLength}. What an input makes
     * us allocate recurs every run; a one-off refill the run happens to pay for (a cache, a pool)
     * does not, and a CI fuzz run once counted 1.4 MB of one for an input that costs 88 KB.
     */
    public void check(int inputLength, Runnable handling) {
        handling.run();
        long allocated = Math.min(allocation(handling), allocation(handling));
        long allowed = fixedBytes + bytesPerInputByte * inputLength;
        if (allocated > allowed) {
            throw new AssertionError("an input of " + inputLength + " bytes cost " + allocated
                    + " bytes of allocation, over the budget of " + allowed);
        }
    }

    private static long allocation(Runnable handling) {
        long start = THREADS.getCurrentThreadAllocatedBytes();
        handling.run();
        return THREADS.getCurrentThreadAllocatedBytes() - start;
    }
}
