/**
 * The one JSON view of the engine's status values, as plain maps and lists that any JSON writer
 * serialises: the control API's answers and the shell's {@code --json} output are both built from it,
 * so a field has one name and one meaning wherever a program reads it (docs/api.md lists them).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package io.graytorrent.api.json;
