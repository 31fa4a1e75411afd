package io.graytorrent.control.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/** Checked reading of request fields: each wrong type, range or unknown key is a 400 naming the field. */
public final class JsonFields {
    public static final int MAX_PATH_LENGTH = 4096;

    private JsonFields() {
    }

    /** Refuses keys outside {@code allowed}: a misspelt field must not be silently ignored. */
    public static void onlyKeys(JsonNode object, Set<String> allowed) throws ApiException {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("bad_field", "unknown field " + abbreviate(name) + "; known: " + allowed);
            }
        }
    }

    /** A string field, or null when absent; at most {@code maxLength} characters. */
    public static String text(JsonNode object, String name, int maxLength) throws ApiException {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().length() > maxLength) {
            throw ApiException.badRequest("bad_field", name + " must be a string of at most " + maxLength + " characters");
        }
        return value.asText();
    }

    /** An integral number field within [min, max], or {@code fallback} when absent. */
    public static long integer(JsonNode object, String name, long min, long max, long fallback) throws ApiException {
        JsonNode value = object.get(name);
        if (value == null) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            throw ApiException.badRequest("bad_field", name + " must be an integer from " + min + " to " + max);
        }
        return value.asLong();
    }

    /** A boolean field, or false when absent. */
    public static boolean bool(JsonNode object, String name) throws ApiException {
        JsonNode value = object.get(name);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiException.badRequest("bad_field", name + " must be true or false");
        }
        return value.asBoolean();
    }

    /** "true" or "false", as in query strings and form fields. */
    public static boolean parseFlag(String name, String value) throws ApiException {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("bad_field", name + " must be true or false");
        };
    }

    /** An absolute directory path of bounded length, or null when {@code text} is null. */
    public static Path absolutePath(String name, String text) throws ApiException {
        if (text == null) {
            return null;
        }
        try {
            Path path = Path.of(text);
            if (text.length() > MAX_PATH_LENGTH || !path.isAbsolute()) {
                throw ApiException.badRequest("bad_field", name + " must be an absolute path of at most "
                        + MAX_PATH_LENGTH + " characters");
            }
            return path.normalize();
        } catch (InvalidPathException e) {
            throw ApiException.badRequest("bad_field", name + " is not a valid path: " + e.getReason());
        }
    }

    public static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
