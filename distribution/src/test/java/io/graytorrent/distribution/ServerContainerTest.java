package io.graytorrent.distribution;

import javax.inject.Inject;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;

/**
 * A test run inside a Felix framework booted with the server's bundle set; each subclass gets its
 * own framework ({@code @ExamReactorStrategy(PerClass.class)} on the subclass).
 */
public abstract class ServerContainerTest {
    @Inject
    protected BundleContext context;

    @Configuration
    public Option[] configuration() {
        return DistributionOptions.server();
    }
}
