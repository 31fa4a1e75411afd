package io.graytorrent.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.storage.internal.FileHandles.Handle;
import io.graytorrent.testkit.Unit;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Unit
class FileHandlesTest {
    @TempDir
    Path root;

    @Test
    void theLeastRecentlyUsedIdleHandleIsClosedBeyondCapacityButLeasedOnesStayOpen() throws Exception {
        PathGuard guard = new PathGuard(root);
        try (FileHandles handles = new FileHandles(2)) {
            Handle leased = handles.forWrite(root.resolve("a"), guard);
            Handle idle;
            try (Handle b = handles.forWrite(root.resolve("b"), guard)) {
                idle = b;
            }
            try (Handle c = handles.forWrite(root.resolve("sub/c"), guard)) {
                c.channel.write(ByteBuffer.wrap(new byte[] {1}), 0);
            }
            assertFalse(idle.channel.isOpen(), "b was idle and least recently used");
            assertTrue(leased.channel.isOpen(), "a is leased");
            leased.close();
            try (Handle again = handles.forWrite(root.resolve("sub/c"), guard)) {
                assertTrue(again.channel.isOpen());
            }
        }
    }

    @Test
    void aNewHandleStaysOpenWhenEveryOtherHandleIsLeasedBeyondCapacity() throws Exception {
        PathGuard guard = new PathGuard(root);
        try (FileHandles handles = new FileHandles(1)) {
            Handle leased = handles.forWrite(root.resolve("a"), guard); // as a background writeback leases
            try (Handle fresh = handles.forWrite(root.resolve("b"), guard)) {
                assertTrue(fresh.channel.isOpen(), "the only idle handle is the one just opened, and it is leased");
                fresh.channel.write(ByteBuffer.wrap(new byte[] {7}), 0);
            }
            Files.writeString(root.resolve("c"), "x");
            try (Handle reader = handles.forRead(root.resolve("c"), guard)) {
                assertTrue(reader.channel.isOpen());
                assertEquals(1, reader.channel.read(ByteBuffer.allocate(1), 0));
            }
            assertTrue(leased.channel.isOpen(), "a is leased");
            leased.close();
        }
    }

    @Test
    void aLowerCapacityClosesIdleHandlesAtOnceAndLeasedOnesWhenReleased() throws Exception {
        PathGuard guard = new PathGuard(root);
        try (FileHandles handles = new FileHandles(4)) {
            Handle idle;
            try (Handle a = handles.forWrite(root.resolve("a"), guard)) {
                idle = a;
            }
            Handle leased = handles.forWrite(root.resolve("b"), guard);
            handles.setCapacity(1);
            assertFalse(idle.channel.isOpen(), "over the new capacity of one and idle");
            assertTrue(leased.channel.isOpen(), "leased: stays open");
            leased.close();
        }
    }

    @Test
    void aReadHandleIsReusedAndAWriteReplacesIt() throws Exception {
        PathGuard guard = new PathGuard(root);
        try (FileHandles handles = new FileHandles(4)) {
            assertThrows(NoSuchFileException.class, () -> handles.forRead(root.resolve("x"), guard));
            handles.forWrite(root.resolve("x"), guard).close();
            handles.closeAll(java.util.List.of(root.resolve("x")));
            Handle reader = handles.forRead(root.resolve("x"), guard);
            reader.close();
            try (Handle second = handles.forRead(root.resolve("x"), guard)) {
                assertSame(reader.channel, second.channel);
            }
            try (Handle writer = handles.forWrite(root.resolve("x"), guard)) {
                assertTrue(writer.writable);
                assertFalse(reader.channel.isOpen(), "the read-only handle was retired");
            }
        }
    }

    @Test
    void writingPastTheWritebackAmountForcesEveryWrittenFileInTheBackground() throws Exception {
        PathGuard guard = new PathGuard(root);
        try (FileHandles handles = new FileHandles(4, 16)) {
            try (Handle a = handles.forWrite(root.resolve("a"), guard); Handle b = handles.forWrite(root.resolve("b"), guard)) {
                a.channel.write(ByteBuffer.wrap(new byte[10]), 0);
                a.wrote(10);
                assertTrue(a.needsForce(), "10 of 16 bytes: no writeback yet");
                b.channel.write(ByteBuffer.wrap(new byte[10]), 0);
                b.wrote(10);
                Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
                while ((a.needsForce() || b.needsForce()) && Instant.now().isBefore(deadline)) {
                    Thread.sleep(10);
                }
                assertFalse(a.needsForce(), "a was forced in the background");
                assertFalse(b.needsForce(), "b was forced in the background");
            }
        }
    }
}
