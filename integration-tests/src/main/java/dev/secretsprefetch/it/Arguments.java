// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options of the command-line drivers, checked against what each accepts. */
final class Arguments {

    private final Map<String, String> values = new HashMap<>();
    private final String usage;

    Arguments(String[] args, Set<String> accepted, String usage) {
        this.usage = usage;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new IllegalArgumentException(usage);
            }
            String name = arg.startsWith("--") ? arg.substring(2) : "";
            if (!accepted.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown or incomplete option \"" + arg + "\"\n" + usage);
            }
            values.put(name, args[++i]);
        }
    }

    /** The option's value, if it was given. */
    java.util.Optional<String> string(String name) {
        return java.util.Optional.ofNullable(values.get(name));
    }

    int intAtLeast(String name, int minimum, int defaultValue) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= minimum) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Reported below with the option's name.
        }
        throw new IllegalArgumentException("--" + name + " must be a whole number of at least " + minimum + ", was \"" + value + "\"\n"
                + usage);
    }
}
