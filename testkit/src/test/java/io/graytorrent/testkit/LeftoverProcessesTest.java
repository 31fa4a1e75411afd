package io.graytorrent.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

@Unit
@Timeout(30)
class LeftoverProcessesTest {
    @TempDir
    Path home;

    /** A test class as the extension sees it: one field that owns a pid file, one that is null. */
    static final class ATest {
        private final LeftoverProcesses.PidFileOwner server;
        private final LeftoverProcesses.PidFileOwner neverMade = null;

        ATest(Path pidFile) {
            server = () -> pidFile;
        }
    }

    @Test
    void theProcessNamedByAFieldsPidFileIsKilledAfterTheTest() throws Exception {
        Process left = new ProcessBuilder("sleep", "60").start();
        try {
            Path pidFile = Files.writeString(home.resolve("server.pid"), left.pid() + "\n");
            new LeftoverProcesses().afterEach(after(new ATest(pidFile)));
            assertTrue(left.waitFor(10, TimeUnit.SECONDS), "killed");
        } finally {
            left.destroyForcibly();
        }
    }

    @Test
    void aPidFileNeverWrittenIsNothingToKill() {
        assertDoesNotThrow(() -> new LeftoverProcesses().afterEach(after(new ATest(home.resolve("server.pid")))));
    }

    /** The context of a test that ran on {@code instance}: all the extension asks of it. */
    private static ExtensionContext after(Object instance) {
        return (ExtensionContext) Proxy.newProxyInstance(ExtensionContext.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRequiredTestInstance" -> instance;
                    case "getTestInstance" -> Optional.of(instance);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
