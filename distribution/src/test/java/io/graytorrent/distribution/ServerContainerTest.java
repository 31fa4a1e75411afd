package io.graytorrent.distribution;

import java.util.concurrent.Callable;
import javax.inject.Inject;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;

/**
 * A test run inside a Felix framework booted with the server's bundle set; each subclass gets its
 * own framework ({@code @ExamReactorStrategy(PerClass.class)} on the subclass).
 */
public abstract class ServerContainerTest {
    /** How long a test waits for a plugin, a service or a torrent to change. */
    protected static final long WAIT_MILLIS = 20_000;

    @Inject
    protected BundleContext context;

    @Configuration
    public Option[] configuration() {
        return DistributionOptions.server();
    }

    /** Polls {@code condition} until it holds; fails after {@value #WAIT_MILLIS} ms. */
    protected static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.call()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + " did not happen within " + WAIT_MILLIS + " ms");
            }
            Thread.sleep(100);
        }
    }
}
