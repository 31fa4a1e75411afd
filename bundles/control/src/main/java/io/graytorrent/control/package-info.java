/** The control endpoint through which the {@code gray} client and programs drive a running engine. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package io.graytorrent.control;
