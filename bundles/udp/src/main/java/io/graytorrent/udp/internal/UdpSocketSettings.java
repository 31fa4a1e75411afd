package io.graytorrent.udp.internal;

/**
 * How the shared socket bounds its memory.
 *
 * @param maxDatagram        largest datagram taken in, bytes; longer ones are dropped as unclassified
 * @param handlerQueueLength datagrams waiting for one handler before its newest are dropped
 * @param sendQueueLength    datagrams waiting to be sent before {@code send} refuses more
 */
public record UdpSocketSettings(int maxDatagram, int handlerQueueLength, int sendQueueLength) {

    public UdpSocketSettings {
        if (maxDatagram < DatagramClassifier.UTP_HEADER_LENGTH || maxDatagram > 65507 || handlerQueueLength < 1
                || sendQueueLength < 1) {
            throw new IllegalArgumentException("udp socket settings out of range: maxDatagram " + maxDatagram
                    + " (20..65507), handlerQueueLength " + handlerQueueLength + ", sendQueueLength "
                    + sendQueueLength + " (1 or more)");
        }
    }

    /** Room for any DHT message or uTP packet mainstream clients send, and a few hundred kilobytes of backlog. */
    public static UdpSocketSettings defaults() {
        return new UdpSocketSettings(4096, 512, 1024);
    }
}
