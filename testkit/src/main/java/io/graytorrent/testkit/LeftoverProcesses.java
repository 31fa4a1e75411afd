package io.graytorrent.testkit;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Kills, after each test, the processes a failed test may have left running (a {@code gray server}): with
 * {@code @ExtendWith(LeftoverProcesses.class)}, every field of the test of a {@link PidFileOwner} type has the process
 * its pid file names killed, if it still runs.
 */
public final class LeftoverProcesses implements AfterEachCallback {

    /** What a test holds in a field and may leave a process of: the file that process writes its pid to. */
    public interface PidFileOwner {
        Path pidFile();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException, IllegalAccessException {
        Object test = context.getRequiredTestInstance();
        for (Class<?> type = test.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (PidFileOwner.class.isAssignableFrom(field.getType())) {
                    field.setAccessible(true);
                    Object owner = field.get(Modifier.isStatic(field.getModifiers()) ? null : test);
                    if (owner != null) {
                        kill(((PidFileOwner) owner).pidFile());
                    }
                }
            }
        }
    }

    /** Kills the process whose pid {@code pidFile} holds, if the file exists and the process runs. */
    public static void kill(Path pidFile) throws IOException {
        if (Files.exists(pidFile)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
