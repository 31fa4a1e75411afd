package io.graytorrent.utp.internal.protocol;

import io.graytorrent.utp.internal.packet.PacketType;
import io.graytorrent.utp.internal.packet.UtpPacket;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * One uTP connection's protocol (BEP 29), without sockets or threads: packets in through
 * {@link #onPacket}, packets out through the {@link Outlet}, timers driven by {@link #tick}, time
 * from the clock given (microseconds). Not thread-safe: one thread drives it (the channel's event
 * loop, or a test's simulated link). The clock may start anywhere, negative values included.
 *
 * <p>Sequence numbers: SYN, DATA and FIN consume one; STATE carries the next without consuming it,
 * so the initiator takes the acceptor's first ack number as that STATE's less one. Memory is
 * bounded by the settings: the send buffer, the packets in flight (at most {@link #MAX_OUTSTANDING}),
 * and the receive buffer, which holds in-order bytes not yet read and out-of-order packets and is
 * what the advertised window offers.
 */
public final class UtpConnection {
    /** Packets tracked in flight and out of order: sequence numbers this far apart share a slot. */
    public static final int MAX_OUTSTANDING = 1024;
    private static final int DUPLICATE_ACKS = 3;
    private static final int SACK_BYTES = 4;
    private static final long LINGER = 10_000_000;

    /**
     * Where the connection's packets go: the datagram socket, or a test's link. A DATA packet's
     * payload array is filled again once the peer acked it, so an outlet that keeps a packet past
     * {@code send} keeps a copy (an encoded datagram is one).
     */
    public interface Outlet {
        void send(UtpPacket packet);
    }

    /** What the connection tells its owner; called on the driving thread. */
    public interface Events {
        void connected();

        /** Bytes to {@link #read}, or the end of the peer's stream, are there. */
        void readable();

        /** {@link #write} takes bytes again after refusing some. */
        void writable();

        /** The connection ended: {@code error} false after an orderly close both ways. */
        void closed(String reason, boolean error);
    }

    public enum State { SYN_SENT, CONNECTED, CLOSED }

    private static final class Sent {
        final int seq;
        final PacketType type;
        final byte[] payload;
        long sentAt;
        int transmissions;
        boolean selectivelyAcked;
        boolean needsResend;
        boolean fastResent;

        Sent(int seq, PacketType type, byte[] payload) {
            this.seq = seq;
            this.type = type;
            this.payload = payload;
        }

        int size() {
            return payload.length + 20;
        }

        boolean inFlight() {
            return !selectivelyAcked && !needsResend;
        }
    }

    private final UtpSettings settings;
    private final LongSupplier clock;
    private final Outlet outlet;
    private final Events events;
    private final int receiveId;
    private final int sendId;
    private final boolean initiator;
    private State state;

    private int seqNr;
    private int ackNr;
    /** The peer's cumulative ack: packets after it up to {@link #seqNr} are outstanding. */
    private int acked;
    private final Sent[] sent = new Sent[MAX_OUTSTANDING];
    private long inFlight;
    private int pendingResends;
    private long peerWindow;
    private final SendBuffer sendBuffer;
    private boolean refusedWrite;
    private boolean windowUsed;

    private final byte[][] outOfOrder = new byte[MAX_OUTSTANDING][];
    private int outOfOrderCount;
    private long outOfOrderBytes;
    private final ReceiveBuffer received = new ReceiveBuffer();
    private int peerFin = -1;
    private boolean peerFinished;

    private final RttEstimator rtt;
    private final DelayHistory delays = new DelayHistory();
    private final Ledbat ledbat;
    private int duplicateAcks;
    /** No loss among packets up to this one makes the window shrink again: one reaction a round trip. */
    private int lossReactedUpTo;
    private long retransmitAt;
    private int timeouts;
    private long retransmitted;
    private long timedOut;

    /** The sequence number of the peer's SYN (acceptor only), to know its SYN again when our answer was lost. */
    private int peerSynSeq;
    private long replyMicros;
    private long lastReceived;
    private long lastSent;
    private boolean ackOwed;
    private long ackOwedSince;
    private boolean closing;
    private boolean finSent;
    private boolean lingering;
    private long lingerUntil;

    private UtpConnection(UtpSettings settings, LongSupplier clock, Outlet outlet, Events events, int receiveId,
            int sendId, boolean initiator) {
        this.settings = settings;
        this.clock = clock;
        this.outlet = outlet;
        this.events = events;
        this.receiveId = receiveId;
        this.sendId = sendId;
        this.initiator = initiator;
        this.sendBuffer = new SendBuffer(settings.sendBuffer(), settings.payloadSize());
        this.rtt = new RttEstimator(settings.minTimeout());
        this.ledbat = new Ledbat(settings.targetDelay(), settings.gain(), settings.packetSize(), settings.maxWindow());
        this.lastReceived = clock.getAsLong();
        this.peerWindow = settings.packetSize();
    }

    /** Opens a connection: sends the SYN; {@link Events#connected} follows the peer's answer. */
    public static UtpConnection connect(UtpSettings settings, LongSupplier clock, Outlet outlet, Events events,
            int receiveId) {
        UtpConnection c = new UtpConnection(settings, clock, outlet, events, receiveId & Seq.MASK,
                (receiveId + 1) & Seq.MASK, true);
        c.state = State.SYN_SENT;
        c.seqNr = 1;
        c.acked = 0;
        c.sendNew(PacketType.SYN, new byte[0]);
        return c;
    }

    /** Takes a peer's SYN: answers it with a STATE and is connected, its first sequence number {@code firstSeq}. */
    public static UtpConnection accept(UtpSettings settings, LongSupplier clock, Outlet outlet, Events events,
            UtpPacket syn, int firstSeq) {
        UtpConnection c = new UtpConnection(settings, clock, outlet, events, (syn.connectionId() + 1) & Seq.MASK,
                syn.connectionId(), false);
        c.state = State.CONNECTED;
        c.seqNr = firstSeq & Seq.MASK;
        c.acked = Seq.plus(c.seqNr, -1);
        c.lossReactedUpTo = c.acked;
        c.ackNr = syn.seq();
        c.peerSynSeq = syn.seq();
        c.peerWindow = syn.window();
        c.replyMicros = replyTo(syn, c.clock.getAsLong());
        c.sendState();
        return c;
    }

    /** The id packets to us carry. */
    public int receiveId() {
        return receiveId;
    }

    public State state() {
        return state;
    }

    /** One packet from the peer, already matched to this connection by address and id. */
    public void onPacket(UtpPacket packet) {
        if (state == State.CLOSED) {
            return;
        }
        long now = clock.getAsLong();
        if (packet.type() == PacketType.RESET) {
            end("reset by the peer", true);
            return;
        }
        if (packet.type() == PacketType.SYN) {
            if (!initiator && packet.seq() == peerSynSeq) {
                sendState(); // our answer was lost: the peer asks again
            }
            return;
        }
        if (state == State.SYN_SENT) {
            if (packet.type() != PacketType.STATE || packet.ack() != 1) {
                return; // only the answer to our SYN tells the peer's first sequence number
            }
            ackNr = Seq.plus(packet.seq(), -1);
        }
        if (!acksSentData(packet.ack())) {
            return; // an ack for what we never sent: forged or stale, dropped whole
        }
        lastReceived = now;
        replyMicros = replyTo(packet, now);
        peerWindow = packet.window();
        processAck(packet, now);
        if (state == State.SYN_SENT) {
            state = State.CONNECTED;
            events.connected();
        }
        if (packet.type() == PacketType.DATA) {
            receive(packet.seq(), packet.payload(), now);
        } else if (packet.type() == PacketType.FIN) {
            receiveFin(packet.seq(), now);
        }
        if (state == State.CLOSED) {
            return;
        }
        trySend();
        closeIfDone();
    }

    private boolean acksSentData(int ack) {
        return Seq.distance(acked, ack) < Seq.distance(acked, seqNr);
    }

    private static long replyTo(UtpPacket packet, long now) {
        return (now - packet.timestamp()) & 0xffffffffL;
    }

    private void processAck(UtpPacket packet, long now) {
        int newlyAcked = Seq.distance(acked, packet.ack());
        long inFlightBefore = inFlight;
        long ackedBytes = 0;
        for (int i = 1; i <= newlyAcked; i++) {
            int seq = Seq.plus(acked, i);
            Sent s = take(seq);
            if (s == null) {
                continue;
            }
            if (s.type == PacketType.DATA) {
                sendBuffer.recycle(s.payload);
            }
            if (s.inFlight()) {
                inFlight -= s.size();
                ackedBytes += s.payload.length;
            } else if (s.needsResend) {
                pendingResends--;
            }
            if (s.transmissions == 1) {
                rtt.sample(now - s.sentAt);
            }
        }
        boolean progress = newlyAcked > 0;
        acked = packet.ack();
        if (progress) {
            timeouts = 0;
            duplicateAcks = 0;
        } else if (packet.type() == PacketType.STATE && outstanding() > 0 && packet.selectiveAck() == null) {
            if (++duplicateAcks == DUPLICATE_ACKS) {
                lost(Seq.plus(acked, 1), now);
            }
        }
        if (packet.selectiveAck() != null) {
            ackedBytes += selectiveAck(packet, now);
        }
        if (packet.timestampDiff() != 0) {
            delays.add(packet.timestampDiff(), now);
        }
        if (ackedBytes > 0) {
            ledbat.onAck(ackedBytes, inFlightBefore, delays.queuingDelay(), windowUsed);
            windowUsed = false;
        }
        if (progress) {
            retransmitAt = now + rtt.timeout(); // the timer runs while anything is outstanding
        }
    }

    /** Marks what the bitmask says arrived; a packet with three later ones arrived is resent at once. */
    private long selectiveAck(UtpPacket packet, long now) {
        long ackedBytes = 0;
        int span = Math.min(packet.selectiveAck().length * 8, Seq.distance(acked, seqNr) - 2);
        int laterArrived = 0;
        for (int i = span - 1; i >= 0; i--) {
            int seq = Seq.plus(packet.ack(), 2 + i);
            Sent s = sent[seq % MAX_OUTSTANDING];
            if (s == null || s.seq != seq) {
                continue;
            }
            if (packet.selectivelyAcked(i)) {
                laterArrived++;
                if (!s.selectivelyAcked) {
                    if (s.inFlight()) {
                        inFlight -= s.size();
                        ackedBytes += s.payload.length;
                    } else if (s.needsResend) {
                        pendingResends--;
                    }
                    s.selectivelyAcked = true;
                    s.needsResend = false;
                }
            } else if (laterArrived >= DUPLICATE_ACKS && !s.fastResent) {
                lost(seq, now);
            }
        }
        // the packet right after the ack is implied missing by any bitmask
        if (laterArrived >= DUPLICATE_ACKS) {
            lost(Seq.plus(packet.ack(), 1), now);
        }
        return ackedBytes;
    }

    private void lost(int seq, long now) {
        Sent s = sent[seq % MAX_OUTSTANDING];
        if (s == null || s.seq != seq || s.selectivelyAcked || s.fastResent) {
            return;
        }
        s.fastResent = true;
        if (s.needsResend) {
            pendingResends--; // resent here rather than by the timeout's pass
        }
        if (Seq.after(seq, lossReactedUpTo)) {
            ledbat.onLoss();
            lossReactedUpTo = Seq.plus(seqNr, -1);
        }
        transmit(s, now);
    }

    private Sent take(int seq) {
        Sent s = sent[seq % MAX_OUTSTANDING];
        if (s != null && s.seq == seq) {
            sent[seq % MAX_OUTSTANDING] = null;
            return s;
        }
        return null;
    }

    private int outstanding() {
        return Seq.distance(acked, seqNr) - 1;
    }

    private void receive(int seq, byte[] payload, long now) {
        int ahead = Seq.distance(ackNr, seq);
        if (ahead == 0 || ahead >= 0x8000) {
            owe(now - settings.delayedAck()); // a duplicate: the peer missed our ack, answer now
            return;
        }
        if (ahead >= MAX_OUTSTANDING || peerFin >= 0 && Seq.after(seq, peerFin)) {
            return;
        }
        long held = received.bytes() + outOfOrderBytes;
        if (ahead == 1) {
            if (held + payload.length > settings.receiveBuffer() + settings.payloadSize()) {
                return; // past the window (and a probe's allowance): the peer resends when we have room
            }
            deliver(payload);
            ackNr = seq;
            drainOutOfOrder();
        } else if (outOfOrder[seq % MAX_OUTSTANDING] == null && held + payload.length <= settings.receiveBuffer()) {
            outOfOrder[seq % MAX_OUTSTANDING] = payload;
            outOfOrderCount++;
            outOfOrderBytes += payload.length;
        }
        owe(now);
    }

    private void receiveFin(int seq, long now) {
        int ahead = Seq.distance(ackNr, seq);
        if (ahead == 0 || ahead >= 0x8000) {
            owe(now - settings.delayedAck());
            return;
        }
        if (ahead >= MAX_OUTSTANDING || peerFin >= 0) {
            owe(now);
            return;
        }
        peerFin = seq;
        finishIfComplete();
        owe(now);
    }

    private void deliver(byte[] payload) {
        if (payload.length > 0) {
            received.add(payload);
            events.readable();
        }
    }

    private void drainOutOfOrder() {
        while (outOfOrderCount > 0) {
            int next = Seq.plus(ackNr, 1);
            byte[] payload = outOfOrder[next % MAX_OUTSTANDING];
            if (payload == null) {
                break;
            }
            outOfOrder[next % MAX_OUTSTANDING] = null;
            outOfOrderCount--;
            outOfOrderBytes -= payload.length;
            deliver(payload);
            ackNr = next;
        }
        finishIfComplete();
    }

    private void finishIfComplete() {
        if (peerFin >= 0 && !peerFinished && Seq.plus(ackNr, 1) == peerFin) {
            ackNr = peerFin;
            peerFinished = true;
            for (int i = 0; i < MAX_OUTSTANDING; i++) {
                outOfOrder[i] = null;
            }
            outOfOrderCount = 0;
            outOfOrderBytes = 0;
            events.readable();
        }
    }

    private void owe(long since) {
        if (!ackOwed || since < ackOwedSince) {
            ackOwedSince = since;
        }
        ackOwed = true;
    }

    /** The next chunk of received bytes, in order, or null when none is there. */
    public byte[] read() {
        long before = window();
        byte[] chunk = received.poll();
        if (chunk != null && before < settings.packetSize() && window() >= settings.packetSize()
                && state == State.CONNECTED) {
            sendState(); // the peer stopped at our closed window: tell it the window is open
        }
        return chunk;
    }

    /** Whether the peer finished its stream (FIN) and every byte before it was read. */
    public boolean endOfStream() {
        return peerFinished && received.bytes() == 0;
    }

    /** Takes as many of the buffer's remaining bytes as the send buffer has room for; returns how many. */
    public int write(ByteBuffer bytes) {
        if (closing || state == State.CLOSED) {
            return 0;
        }
        int taken = sendBuffer.add(bytes);
        refusedWrite |= bytes.hasRemaining();
        trySend();
        return taken;
    }

    /** Send buffer room, bytes. */
    public int writable() {
        return closing ? 0 : sendBuffer.room();
    }

    /** Sends what the window allows: resends first (after a timeout), then new data, then our FIN. */
    private void trySend() {
        if (state != State.CONNECTED) {
            return;
        }
        long now = clock.getAsLong();
        long window = Math.min(ledbat.window(), peerWindow);
        if (pendingResends > 0) {
            for (int i = 1; i <= outstanding() && pendingResends > 0; i++) {
                Sent s = sent[Seq.plus(acked, i) % MAX_OUTSTANDING];
                if (s != null && s.needsResend) {
                    if (inFlight > 0 && inFlight + s.size() > window) {
                        windowUsed = true;
                        return;
                    }
                    pendingResends--;
                    transmit(s, now);
                }
            }
        }
        while (sendBuffer.bytes() > 0 && !finSent) {
            int size = Math.min(settings.payloadSize(), sendBuffer.bytes());
            if (inFlight > 0 && inFlight + size + 20 > window || outstanding() >= MAX_OUTSTANDING - 2) {
                windowUsed = true;
                break;
            }
            sendNew(PacketType.DATA, sendBuffer.take(size));
        }
        if (closing && !finSent && sendBuffer.bytes() == 0) {
            finSent = true;
            sendNew(PacketType.FIN, new byte[0]);
        }
        if (refusedWrite && sendBuffer.room() > 0 && !closing) {
            refusedWrite = false;
            events.writable();
        }
    }

    private void sendNew(PacketType type, byte[] payload) {
        long now = clock.getAsLong();
        if (outstanding() == 0) {
            retransmitAt = now + rtt.timeout();
        }
        Sent s = new Sent(seqNr, type, payload);
        sent[seqNr % MAX_OUTSTANDING] = s;
        seqNr = Seq.plus(seqNr, 1);
        transmit(s, now);
    }

    private void transmit(Sent s, long now) {
        if (s.transmissions == 0 || s.needsResend) {
            inFlight += s.size();
            s.needsResend = false;
        }
        if (s.transmissions > 0) {
            retransmitted++;
        }
        s.transmissions++;
        s.sentAt = now;
        int id = s.type == PacketType.SYN ? receiveId : sendId;
        long window = s.type == PacketType.SYN ? settings.receiveBuffer() : window();
        outlet.send(new UtpPacket(s.type, id, now & 0xffffffffL, replyMicros, window, s.seq, ackNr, null, s.payload));
        lastSent = now;
        if (outOfOrderCount == 0) {
            ackOwed = false;
        }
    }

    private void sendState() {
        long now = clock.getAsLong();
        outlet.send(new UtpPacket(PacketType.STATE, sendId, now & 0xffffffffL, replyMicros, window(), seqNr, ackNr,
                selectiveAckMask(), new byte[0]));
        lastSent = now;
        ackOwed = false;
    }

    /** The bitmask of out-of-order packets held, or null when none is. */
    private byte[] selectiveAckMask() {
        if (outOfOrderCount == 0) {
            return null;
        }
        int bits = 0;
        byte[] mask = new byte[MAX_OUTSTANDING / 8];
        for (int i = 0; i < mask.length * 8; i++) {
            if (outOfOrder[Seq.plus(ackNr, 2 + i) % MAX_OUTSTANDING] != null) {
                mask[i >> 3] |= (byte) (1 << (i & 7));
                bits = i + 1;
            }
        }
        int length = Math.max(SACK_BYTES, (bits + 31) / 32 * SACK_BYTES);
        return java.util.Arrays.copyOf(mask, Math.min(length, 252));
    }

    private long window() {
        return Math.max(0, settings.receiveBuffer() - received.bytes() - outOfOrderBytes);
    }

    /** Sends an ack still owed at the end of a batch of incoming packets. */
    public void flushAck() {
        if (ackOwed && state == State.CONNECTED) {
            sendState();
        }
    }

    /** The timers: delayed ack, retransmission, keep-alive, idle. Call often (every few ms to 100 ms). */
    public void tick() {
        if (state == State.CLOSED) {
            return;
        }
        long now = clock.getAsLong();
        if (ackOwed && now - ackOwedSince >= settings.delayedAck()) {
            flushAck();
        }
        if (outstanding() > 0 && now - retransmitAt >= 0) {
            timedOut(now);
        }
        if (state == State.CLOSED) {
            return;
        }
        if (lingering && now - lingerUntil >= 0) {
            end("closed; the peer did not finish its side", false);
        } else if (now - lastReceived >= settings.idleTimeout()) {
            end("nothing heard for " + settings.idleTimeout() / 1_000_000 + " s", true);
        } else if (state == State.CONNECTED && now - lastSent >= settings.keepAlive()) {
            sendState();
        }
    }

    private void timedOut(long now) {
        int limit = state == State.SYN_SENT ? settings.connectAttempts() : settings.maxTimeouts();
        timedOut++;
        if (++timeouts >= limit) {
            end(state == State.SYN_SENT ? "no answer to " + limit + " SYNs" : "no ack after " + limit + " timeouts",
                    true);
            return;
        }
        rtt.backOff();
        ledbat.onTimeout();
        for (int i = 1; i <= outstanding(); i++) {
            Sent s = sent[Seq.plus(acked, i) % MAX_OUTSTANDING];
            if (s != null && s.inFlight()) {
                inFlight -= s.size();
                s.needsResend = true;
                s.fastResent = false;
                pendingResends++;
            }
        }
        retransmitAt = now + rtt.timeout();
        if (state == State.SYN_SENT) {
            Sent syn = sent[1];
            pendingResends--;
            transmit(syn, now);
        } else {
            trySend();
        }
    }

    /** Closes our side in order: the data written so far, then a FIN; the connection ends once both sides finished. */
    public void close() {
        closing = true;
        trySend();
        closeIfDone();
    }

    /** Ends the connection at once, telling the peer with a RESET. */
    public void reset(String reason) {
        if (state == State.CONNECTED) {
            long now = clock.getAsLong();
            outlet.send(new UtpPacket(PacketType.RESET, sendId, now & 0xffffffffL, replyMicros, 0, seqNr, ackNr, null,
                    new byte[0]));
        }
        end(reason, true);
    }

    /**
     * Ends once both sides finished and our FIN is acked; a peer that keeps its side open after ours
     * closed gets {@link #LINGER} to finish (what it sends meanwhile is still delivered).
     */
    private void closeIfDone() {
        if (!finSent || outstanding() != 0) {
            return;
        }
        if (peerFinished) {
            flushAck();
            end("closed", false);
        } else if (!lingering) {
            lingering = true;
            lingerUntil = clock.getAsLong() + LINGER;
        }
    }

    private void end(String reason, boolean error) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        received.clear();
        sendBuffer.clear();
        events.closed(reason, error);
    }

    /** The congestion window, bytes (for tests and statistics). */
    public long congestionWindow() {
        return ledbat.window();
    }

    /** The measured queuing delay, microseconds. */
    public long queuingDelay() {
        return delays.queuingDelay();
    }

    /** Packets sent more than once, and retransmission timeouts, over the connection's life. */
    public String lossStatistics() {
        return retransmitted + " packets sent again, " + timedOut + " timeouts, peer window " + peerWindow
                + " B, in flight " + inFlight + " B, window " + ledbat.window()
                + " B, RTT " + rtt.rtt() / 1000 + " ms, queuing delay " + delays.queuingDelay() / 1000 + " ms";
    }

    /** Whether the counts kept as packets change state match the packets (for tests: a drifting count costs a scan a send). */
    boolean bookkeepingHolds() {
        int resends = 0;
        long flying = 0;
        for (int i = 1; i <= outstanding(); i++) {
            Sent s = sent[Seq.plus(acked, i) % MAX_OUTSTANDING];
            if (s != null && s.needsResend) {
                resends++;
            } else if (s != null && s.inFlight()) {
                flying += s.size();
            }
        }
        return resends == pendingResends && flying == inFlight;
    }

    /** Bytes sent and not yet acknowledged. */
    public long bytesInFlight() {
        return inFlight;
    }

    @Override
    public String toString() {
        return "uTP " + receiveId + "/" + sendId + " " + state + " seq " + seqNr + " ack " + ackNr + " acked " + acked
                + " resends " + pendingResends + " send buffer " + sendBuffer.bytes()
                + " peer window " + peerWindow + " timeouts " + timeouts;
    }
}
