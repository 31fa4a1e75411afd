package io.graytorrent.utp.internal.protocol;

/** 16-bit sequence and ack numbers, which wrap: compared by their distance modulo 2^16. */
final class Seq {
    static final int MASK = 0xffff;

    private Seq() {
    }

    /** How far {@code to} is ahead of {@code from}, 0 to 65535. */
    static int distance(int from, int to) {
        return (to - from) & MASK;
    }

    /** Whether {@code a} comes after {@code b} (by less than half the number space). */
    static boolean after(int a, int b) {
        int d = distance(b, a);
        return d != 0 && d < 0x8000;
    }

    static int plus(int seq, int n) {
        return (seq + n) & MASK;
    }
}
