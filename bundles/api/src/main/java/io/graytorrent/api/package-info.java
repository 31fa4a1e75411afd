/** Service interfaces and value types shared by graytorrent's engine and its plugins. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.12.0")
package io.graytorrent.api;
