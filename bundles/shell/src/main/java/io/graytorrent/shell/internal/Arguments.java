package io.graytorrent.shell.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's arguments split into options and positionals. Options may come anywhere; a value
 * option may repeat ({@code -t A -t B}); {@code --} ends options. Anything not declared is a usage
 * error naming the offender, which is what a user needs, not a coercion failure.
 */
final class Arguments {
    private final Map<String, List<String>> values = new HashMap<>();
    private final List<String> positionals = new ArrayList<>();

    /**
     * @param flags        options without a value, each given with all its spellings, e.g. "--json"
     * @param valueOptions options followed by a value: spelling → canonical name (e.g. "-t" → "--tracker")
     */
    Arguments(String[] args, Set<String> flags, Map<String, String> valueOptions) {
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                positionals.add(arg);
            } else if (arg.equals("--")) {
                optionsEnded = true;
            } else if (flags.contains(arg)) {
                values.computeIfAbsent(arg, k -> new ArrayList<>()).add("true");
            } else if (valueOptions.containsKey(arg)) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("option " + arg + " needs a value");
                }
                values.computeIfAbsent(valueOptions.get(arg), k -> new ArrayList<>()).add(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + arg);
            }
        }
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** The option's value, or {@code fallback} when absent; given twice is an error. */
    String single(String name, String fallback) {
        List<String> given = all(name);
        if (given.size() > 1) {
            throw new IllegalArgumentException("option " + name + " given more than once");
        }
        return given.isEmpty() ? fallback : given.get(0);
    }

    /** At least {@code minimum} positionals, else a usage error. */
    List<String> positionalsAtLeast(int minimum, String usage) {
        if (positionals.size() < minimum) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return positionals;
    }

    /** Exactly {@code count} positionals, else a usage error. */
    List<String> positionals(int count, String usage) {
        if (positionals.size() != count) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return positionals;
    }
}
