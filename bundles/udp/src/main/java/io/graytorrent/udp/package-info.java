/**
 * The UDP socket on the listen port, shared by the protocols that speak UDP to peers (the DHT and
 * uTP, as mainstream clients do): a {@link io.graytorrent.udp.UdpSocket} service to send from, and
 * {@link io.graytorrent.udp.DatagramHandler} services it dispatches incoming datagrams to by their
 * content ({@link io.graytorrent.udp.DatagramKind}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.graytorrent.udp;
