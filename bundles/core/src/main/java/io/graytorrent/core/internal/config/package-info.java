/** How the engine is configured: the component's configuration and its plain-Java form. */
package io.graytorrent.core.internal.config;
