/**
 * The BitTorrent peer wire protocol (BEP 3, 5, 6, 10, 20, and the hash messages and connection upgrade of BEP 52), with Message Stream Encryption as a stage
 * before the handshake, as message types, a {@link io.graytorrent.peerwire.PeerConnection} the engine
 * drives, and a {@link io.graytorrent.peerwire.PeerWire} network service over TCP and any
 * {@link io.graytorrent.peerwire.PeerTransport} a plugin adds. Policy (choking, picking, which torrents exist) belongs to the engine.
 *
 * <p>Threading: every callback from this package ({@link io.graytorrent.peerwire.PeerListener},
 * {@link io.graytorrent.peerwire.ExtensionMessageHandler}) runs on a Netty event loop. Callbacks must
 * return quickly and must not block or touch the disk; hand work to the torrent's own executor.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package io.graytorrent.peerwire;
