package io.graytorrent.portmap.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The little XML reading a UPnP control point needs, on bounded text without a DOM: the text of
 * elements by local name (any namespace prefix), and the blocks of an element. No DTD, no entity
 * but the five predefined ones and numeric references, so nothing expands and nothing is fetched.
 * Linear in the text's length.
 */
final class XmlText {
    private XmlText() {
    }

    /** The text inside the first {@code <name>…</name>} (or {@code <p:name …>…</p:name>}), unescaped. */
    static Optional<String> text(String xml, String name) {
        List<String> blocks = blocks(xml, name, 1);
        return blocks.isEmpty() ? Optional.empty() : Optional.of(unescape(blocks.get(0).strip()));
    }

    /** The contents of up to {@code max} elements {@code name} (not nested in one another), in order. */
    static List<String> blocks(String xml, String name, int max) {
        List<String> found = new ArrayList<>();
        int from = 0;
        while (found.size() < max) {
            int open = openTag(xml, name, from);
            if (open < 0) {
                break;
            }
            int contentStart = xml.indexOf('>', open);
            if (contentStart < 0) {
                break;
            }
            if (xml.charAt(contentStart - 1) == '/') { // <name/>: empty
                found.add("");
                from = contentStart + 1;
                continue;
            }
            int close = closeTag(xml, name, contentStart + 1);
            if (close < 0) {
                break;
            }
            found.add(xml.substring(contentStart + 1, close));
            from = close + 1;
        }
        return found;
    }

    /** The index of the next {@code <name} or {@code <prefix:name} followed by space, / or >, or -1. */
    private static int openTag(String xml, String name, int from) {
        int at = from;
        while ((at = xml.indexOf('<', at)) >= 0) {
            if (isNamed(xml, at + 1, name)) {
                return at;
            }
            at++;
        }
        return -1;
    }

    private static int closeTag(String xml, String name, int from) {
        int at = from;
        while ((at = xml.indexOf("</", at)) >= 0) {
            if (isNamed(xml, at + 2, name)) {
                return at;
            }
            at += 2;
        }
        return -1;
    }

    /** Whether the tag name starting at {@code from} has the local name {@code name}, whatever its prefix. */
    private static boolean isNamed(String xml, int from, String name) {
        int end = nameEnd(xml, from);
        int local = from;
        for (int i = from; i < end; i++) {
            if (xml.charAt(i) == ':') {
                local = i + 1;
            }
        }
        return end - local == name.length() && xml.startsWith(name, local);
    }

    private static int nameEnd(String xml, int from) {
        int end = from;
        while (end < xml.length() && end - from < 256) {
            char c = xml.charAt(end);
            if (c == '>' || c == '/' || Character.isWhitespace(c) || c == '<') {
                break;
            }
            end++;
        }
        return end;
    }

    static String unescape(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int semicolon = c == '&' ? text.indexOf(';', i) : -1;
            if (semicolon < 0 || semicolon - i > 10) {
                out.append(c);
                i++;
                continue;
            }
            String entity = text.substring(i + 1, semicolon);
            String replacement = switch (entity) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> numeric(entity);
            };
            if (replacement == null) {
                out.append(c);
                i++;
            } else {
                out.append(replacement);
                i = semicolon + 1;
            }
        }
        return out.toString();
    }

    private static String numeric(String entity) {
        try {
            int code = entity.startsWith("#x") ? Integer.parseInt(entity.substring(2), 16)
                    : entity.startsWith("#") ? Integer.parseInt(entity.substring(1)) : -1;
            return code >= 0 && Character.isValidCodePoint(code) ? new String(Character.toChars(code)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
