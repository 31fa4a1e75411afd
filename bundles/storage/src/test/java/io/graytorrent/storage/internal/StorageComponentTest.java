package io.graytorrent.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.api.RuntimeProperties;
import io.graytorrent.storage.AllocationMode;
import io.graytorrent.storage.StorageConfig;
import io.graytorrent.testkit.Unit;
import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Unit
class StorageComponentTest {

    /** A configuration as Configuration Admin would hand it over. */
    private static StorageComponent.Config config(String allocation) {
        return new StorageComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StorageComponent.Config.class;
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
}
