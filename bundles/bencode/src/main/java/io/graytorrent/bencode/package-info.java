/**
 * Bencode (BEP 3): a decoder that bounds every dimension of hostile input and keeps each value's
 * raw byte span (so an infohash is the SHA-1 of the exact bytes received), and an encoder.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package io.graytorrent.bencode;
