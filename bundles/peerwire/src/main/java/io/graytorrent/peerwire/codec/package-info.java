/**
 * Netty codecs for the peer wire: the 68-byte handshake and length-prefixed messages with hard
 * size limits. Reusable over any byte stream transport (TCP here, uTP in a plugin).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.1")
package io.graytorrent.peerwire.codec;
