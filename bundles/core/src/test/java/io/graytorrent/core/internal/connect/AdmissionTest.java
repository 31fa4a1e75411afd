package io.graytorrent.core.internal.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.graytorrent.core.internal.config.EngineSettings;
import io.graytorrent.core.internal.peer.BanList;
import io.graytorrent.core.internal.swarm.FakeConnection;
import io.graytorrent.peerwire.Capabilities;
import io.graytorrent.peerwire.PeerId;
import io.graytorrent.testkit.Unit;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@Unit
class AdmissionTest {
    private final PeerId ourId = PeerId.generate();
    private final BanList bans = new BanList(1, 16);
    private final InetSocketAddress listening = new InetSocketAddress("127.0.0.1", 6881);
    private EngineSettings settings = EngineSettings.defaults(Path.of("downloads"));
    private final Admission admission = new Admission(() -> settings, bans, () -> ourId, new OwnAddresses(() -> listening));

    @Test
    void everyRefusalClosesTheConnectionWithItsReason() {
        Admission.Gate gate = admission.gate();
        FakeConnection stopped = connection(1);
        assertFalse(gate.admit(stopped, false));
        assertEquals("torrent not running", stopped.closed.description());

        bans.recordFailure(connection(2).remoteAddress().getAddress());
        FakeConnection banned = connection(2);
        assertFalse(gate.admit(banned, true));
        assertEquals("banned address", banned.closed.description());

        FakeConnection ourself = connection(3);
        ourself.peerId = ourId;
        assertFalse(gate.admit(ourself, true));
        assertEquals("connected to ourself", ourself.closed.description());
        assertEquals(0, admission.connections());
    }

    @Test
    void onePeerIdJoinsOnceAndTheTorrentsLimitHolds() {
        settings = new EngineSettings(200, 2, 0, 0, 0, 0, 5, 10, 3, settings.chokeInterval(),
                settings.optimisticRotation(), settings.checkpointInterval(), settings.defaultSaveDirectory(),
                settings.maxMetadataSize(), settings.maxBufferedPieceBytes(), settings.stallAfter());
        Admission.Gate gate = admission.gate();
        List<FakeConnection> joined = new ArrayList<>();
        FakeConnection first = connection(1);
        assertTrue(gate.admit(first, true) && gate.join(first, List.copyOf(joined)));
        joined.add(first);

        FakeConnection samePeer = connection(2);
        samePeer.peerId = first.peerId;
        assertTrue(gate.admit(samePeer, true));
        assertFalse(gate.join(samePeer, List.copyOf(joined)));
        assertEquals("already connected to this peer", samePeer.closed.description());

        FakeConnection second = connection(3);
        assertTrue(gate.admit(second, true) && gate.join(second, List.copyOf(joined)));
        joined.add(second);
        FakeConnection third = connection(4);
        assertTrue(gate.admit(third, true));
        assertFalse(gate.join(third, List.copyOf(joined)));
        assertEquals("no room for the peer", third.closed.description());
        assertNull(second.closed);

        List.of(first, samePeer, second, third).forEach(gate::closed);
        assertEquals(0, admission.connections(), "every admitted connection gave its place back once");
    }

    @Test
    void theEngineWideLimitCountsAcrossTorrentsAndBannedOrOwnAddressesAreNotDialled() {
        settings = new EngineSettings(1, 50, 0, 0, 0, 0, 5, 10, 3, settings.chokeInterval(),
                settings.optimisticRotation(), settings.checkpointInterval(), settings.defaultSaveDirectory(),
                settings.maxMetadataSize(), settings.maxBufferedPieceBytes(), settings.stallAfter());
        FakeConnection one = connection(1);
        assertTrue(admission.gate().admit(one, true));
        assertFalse(admission.hasRoom());
        FakeConnection another = connection(2);
        assertFalse(admission.gate().admit(another, true));
        assertEquals("global connection limit reached", another.closed.description());

        assertFalse(admission.mayDial(listening));
        assertFalse(admission.mayDial(InetSocketAddress.createUnresolved("peer.example", 6881)));
        assertTrue(admission.mayDial(new InetSocketAddress("127.0.0.9", 6881)));
    }

    private static FakeConnection connection(int host) {
        return new FakeConnection(new InetSocketAddress("127.0.0." + (10 + host), 6881), Capabilities.NONE);
    }
}
