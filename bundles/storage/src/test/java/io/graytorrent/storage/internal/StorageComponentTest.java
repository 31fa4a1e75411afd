package io.graytorrent.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.storage.AllocationMode;
import io.graytorrent.storage.StorageConfig;
import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageComponentTest {

    /** A configuration as Configuration Admin would hand it over, defaults except home and allocation. */
    private static StorageComponent.Config config(String grayHome, String allocation) {
        return new StorageComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StorageComponent.Config.class;
            }

            @Override
            public String grayHome() {
                return grayHome;
            }

            @Override
            public int diskThreads() {
                return 3;
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
    void stateLivesUnderTheConfiguredHomeElseGrayHomeElseTheUsersHome() {
        assertEquals(Path.of("/srv/gray/state"),
                StorageComponent.toStorageConfig(config("/srv/gray", "sparse"), Map.of("GRAY_HOME", "/env"), "/home/u").stateDirectory());
        assertEquals(Path.of("/env/state"),
                StorageComponent.toStorageConfig(config("", "sparse"), Map.of("GRAY_HOME", "/env"), "/home/u").stateDirectory());
        assertEquals(Path.of("/home/u/.graytorrent/state"),
                StorageComponent.toStorageConfig(config("", "sparse"), Map.of(), "/home/u").stateDirectory());
    }

    @Test
    void everySettingIsCarriedOver() {
        StorageConfig converted = StorageComponent.toStorageConfig(config("/g", "full"), Map.of(), "/home/u");
        assertEquals(new StorageConfig(Path.of("/g/state"), 3, 10, 1000, 500, AllocationMode.FULL), converted);
        assertThrows(IllegalArgumentException.class,
                () -> StorageComponent.toStorageConfig(config("/g", "thick"), Map.of(), "/home/u"));
    }
}
