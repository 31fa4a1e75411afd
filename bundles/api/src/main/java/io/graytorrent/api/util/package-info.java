/** Small helpers every bundle needs the same way: the wire's bitfield packing, SHA-1, future failures, the network route. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.graytorrent.api.util;
