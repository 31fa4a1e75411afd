package io.graytorrent.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.api.RuntimeProperties;
import io.graytorrent.storage.AllocationMode;
import io.graytorrent.storage.StorageConfig;
import io.graytorrent.testkit.Unit;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

@Unit
class StorageComponentTest {

    /** A configuration as Configuration Admin would hand it over. */
    private static StorageComponent.Config config(String allocation) {
        return config(allocation, 3);
    }

    private static StorageComponent.Config config(String allocation, int threads) {
        return new StorageComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StorageComponent.Config.class;
            }

            @Override
            public int diskThreads() {
                return threads;
            }

            @Override
            public int maxOpenFiles() {
                return 10;
            }

            @Override
            public long highWatermarkBytes() {
                return 1000;
            }

            @Override
            public long lowWatermarkBytes() {
                return 500;
            }

            @Override
            public String allocation() {
                return allocation;
            }
        };
    }

    @Test
    void stateLivesInTheStateDirectoryPropertyElseUnderGrayHome() {
        assertEquals(Path.of("/srv/one-shot"), RuntimeProperties.stateDirectory(Map.of(
                RuntimeProperties.STATE_DIRECTORY_PROPERTY, "/srv/one-shot", RuntimeProperties.HOME_PROPERTY, "/srv/gray")::get));
        assertEquals(Path.of("/srv/gray/state"),
                RuntimeProperties.stateDirectory(Map.of(RuntimeProperties.HOME_PROPERTY, "/srv/gray")::get));
        assertEquals(Path.of(System.getProperty("user.home"), ".graytorrent", "state"),
                RuntimeProperties.stateDirectory(Map.<String, String>of()::get));
    }

    @Test
    void everySettingIsCarriedOver() {
        StorageConfig converted = StorageComponent.toStorageConfig(config("full"), Path.of("/g/state"));
        assertEquals(new StorageConfig(Path.of("/g/state"), 3, 10, 1000, 500, AllocationMode.FULL), converted);
        assertThrows(IllegalArgumentException.class,
                () -> StorageComponent.toStorageConfig(config("thick"), Path.of("/g/state")));
    }

    @Test
    void aChangedConfigurationAppliesToTheRunningStorage(@TempDir Path home) {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> method.getName().equals("getProperty")
                        ? Map.of(RuntimeProperties.HOME_PROPERTY, home.toString()).get(args[0]) : null);
        StorageComponent component = new StorageComponent();
        component.activate(context, config("sparse", 3));
        try {
            BoundedDiskPool pool = (BoundedDiskPool) component.diskPool();
            component.modified(context, config("full", 1));
            assertSame(pool, component.diskPool(), "the same storage, not a new one");
            assertEquals(1, pool.threads());
        } finally {
            component.deactivate();
        }
    }
}
