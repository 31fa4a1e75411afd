package io.graytorrent.peerwire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.graytorrent.testkit.Unit;
import io.netty.channel.epoll.EpollSocketChannel;
import org.junit.jupiter.api.Test;

@Unit
class EventLoopsTest {
    @Test
    void linuxOnX8664RunsThePeerWireOnNativeEpoll() {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")
                && !Boolean.getBoolean("io.netty.transport.noNative"), "native epoll ships for Linux x86-64 only");
        assertEquals(EpollSocketChannel.class, EventLoops.socketChannel(), "the linux-x86_64 library loads");
    }
}
