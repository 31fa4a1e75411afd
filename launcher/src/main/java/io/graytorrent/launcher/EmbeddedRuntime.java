package io.graytorrent.launcher;

import io.graytorrent.api.RuntimeProperties;
import io.graytorrent.control.ControlEndpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * A Felix framework with the distribution's bundles, in this JVM. Logging bundles start at level 1,
 * before anything can call {@code LoggerFactory}; the engine's bundles at level 2; the interactive
 * console, when wanted, at level 3. The launcher shares no class with the bundles: it finds the
 * control endpoint by service properties alone.
 */
final class EmbeddedRuntime implements AutoCloseable {
    /** Compile-time constants only: no class of the bundles is on the launcher's class path. */
    private static final String CONTROL_PORT = ControlEndpoint.PORT;
    private static final String CONTROL_CERTIFICATE = ControlEndpoint.CERTIFICATE;

    private final Framework framework;
    private volatile boolean stoppedCleanly;

    private EmbeddedRuntime(Framework framework) {
        this.framework = framework;
    }

    /**
     * Starts the framework.
     *
     * @param cache   the framework's storage directory
     * @param keepCache whether to start on the storage as it is (else it is cleaned first)
     * @param token   the control endpoint's secret
     * @param console whether to start the interactive Gogo console on this terminal
     * @param extraProperties framework properties for this run (see io.graytorrent.api.RuntimeProperties)
     */
    static EmbeddedRuntime start(Distribution dist, GrayHome home, Path cache, boolean keepCache, String token,
            boolean console, Map<String, String> extraProperties)
            throws IOException, BundleException {
        Map<String, String> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        if (!keepCache) {
            properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        properties.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "3");
        // without this Felix lends bundles classes from the launcher's class path
        properties.put("felix.bootdelegation.implicit", "false");
        // Netty's native epoll library looks up sun.nio.ch.FileChannelImpl when it loads (through
        // netty-common's DynamicImport-Package: *); without it the peer wire falls back to NIO
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "sun.nio.ch");
        properties.put("felix.fileinstall.dir", dist.plugins().toString());
        properties.put("felix.fileinstall.poll", "1000");
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.fileinstall.log.level", "2");
        properties.put("gosh.args", console ? "" : "--nointeractive");
        properties.put(RuntimeProperties.HOME_PROPERTY, home.root().toString());
        properties.putAll(extraProperties);
        properties.put(ControlEndpoint.TOKEN_PROPERTY, token);

        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"))
                .newFramework(properties);
        framework.init();
        EmbeddedRuntime runtime = new EmbeddedRuntime(framework);
        try {
            BundleContext context = framework.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            bundles.addAll(install(context, dist.bundles("boot"), 1));
            bundles.addAll(install(context, dist.bundles("core"), 2));
            if (console) {
                bundles.addAll(install(context, dist.bundles("console"), 3));
            }
            for (Bundle bundle : bundles) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            }
            framework.start();
            framework.adapt(FrameworkStartLevel.class).setStartLevel(3);
        } catch (IOException | BundleException | RuntimeException e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    /** On a kept storage the bundles are there already: installing one again returns it. */
    private static List<Bundle> install(BundleContext context, List<Path> jars, int startLevel) throws BundleException {
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : jars) {
            Bundle bundle = context.installBundle(jar.toUri().toString());
            bundle.adapt(BundleStartLevel.class).setStartLevel(startLevel);
            installed.add(bundle);
        }
        return installed;
    }

    /** A fresh 256-bit secret for the control endpoint, as hex. */
    static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Waits until the control endpoint listens and returns where. */
    ControlAddress awaitControl(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (System.nanoTime() < deadline) {
            try {
                ServiceReference<?>[] references = framework.getBundleContext()
                        .getServiceReferences((String) null, "(" + CONTROL_PORT + "=*)");
                if (references != null) {
                    return address(references[0]);
                }
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            if (framework.getState() != Bundle.ACTIVE && framework.getState() != Bundle.STARTING) {
                break;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the control endpoint did not start; see the log in GRAY_HOME/logs");
    }

    /**
     * Calls {@code listener} with the control endpoint's address now and whenever it is registered
     * again (a configuration change restarts it, possibly on another port or with TLS switched).
     */
    void followControl(Consumer<ControlAddress> listener) throws InvalidSyntaxException {
        BundleContext context = framework.getBundleContext();
        String filter = "(" + CONTROL_PORT + "=*)";
        context.addServiceListener(event -> {
            if (event.getType() == ServiceEvent.REGISTERED) {
                listener.accept(address(event.getServiceReference()));
            }
        }, filter);
        ServiceReference<?>[] current = context.getServiceReferences((String) null, filter);
        if (current != null) {
            listener.accept(address(current[0]));
        }
    }

    private static ControlAddress address(ServiceReference<?> endpoint) {
        return new ControlAddress((Integer) endpoint.getProperty(CONTROL_PORT),
                Optional.ofNullable((String) endpoint.getProperty(CONTROL_CERTIFICATE)));
    }

    /** Blocks until the framework has stopped (by {@link #close()}, or a console {@code exit}). */
    void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /** Whether a {@link #close()} saw the framework stop in time and without an error. */
    boolean stoppedCleanly() {
        return stoppedCleanly;
    }

    @Override
    public void close() {
        try {
            framework.stop();
            if (framework.waitForStop(TimeUnit.SECONDS.toMillis(30)).getType() == FrameworkEvent.STOPPED) {
                stoppedCleanly = true; // a second close (the Ctrl-C hook's, then ours) must not undo it
            }
        } catch (BundleException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
