package io.graytorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.graytorrent.testkit.Unit;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Unit
class ExtensionRegistryTest {

    private static ExtensionMessageHandler named(String name) {
        return new ExtensionMessageHandler() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void onMessage(PeerConnection peer, byte[] payload) {
            }
        };
    }

    @Test
    void assignsIdsFromOneAndRefusesADuplicateName() {
        ExtensionRegistry registry = new ExtensionRegistry();
        ExtensionMessageHandler metadata = named("ut_metadata");
        ExtensionMessageHandler pex = named("ut_pex");
        assertEquals(1, registry.register(metadata));
        assertEquals(2, registry.register(pex));
        assertThrows(IllegalArgumentException.class, () -> registry.register(named("ut_pex")));
        assertEquals(Map.of(1, metadata, 2, pex), registry.snapshot());
    }

    @Test
    void doesNotReuseAFreedIdWhileHigherOnesAreFree() {
        ExtensionRegistry registry = new ExtensionRegistry();
        ExtensionMessageHandler first = named("a");
        registry.register(first);
        registry.unregister(first);
        assertFalse(registry.isRegistered(first));
        ExtensionMessageHandler second = named("b");
        assertEquals(2, registry.register(second));
        assertEquals(Map.of(2, second), registry.snapshot());
    }

    @Test
    void runsOutAfter255Extensions() {
        ExtensionRegistry registry = new ExtensionRegistry();
        for (int i = 1; i <= 255; i++) {
            assertEquals(i, registry.register(named("x" + i)));
        }
        assertThrows(IllegalStateException.class, () -> registry.register(named("one too many")));
    }
}
