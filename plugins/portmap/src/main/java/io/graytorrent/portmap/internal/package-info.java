/**
 * Port mapping on the gateway: a UPnP IGD client (SSDP discovery, the device description, SOAP
 * actions) and a NAT-PMP client (RFC 6886), written on the JDK alone, and the component that keeps
 * our listen port mapped for TCP and UDP while the server runs.
 */
package io.graytorrent.portmap.internal;
