package io.graytorrent.core.internal.blocklist;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails a read past {@code limit} bytes: a download that never ends is cut off. */
final class BoundedInputStream extends FilterInputStream {
    private long remaining;

    BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0 && --remaining < 0) {
            throw new IOException("larger than the limit");
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0 && (remaining -= n) < 0) {
            throw new IOException("larger than the limit");
        }
        return n;
    }
}
