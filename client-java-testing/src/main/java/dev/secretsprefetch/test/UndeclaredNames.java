// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.test;

import dev.secretsprefetch.manifest.EnvironmentVariables;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names a scope's code asked for that the test did not declare: each call fails at once with an
 * {@link AssertionError}, and the scope fails again when it closes, in case the code under test caught the first.
 */
final class UndeclaredNames {

    /** Enough to recognise the declaration; a long list would hide the message. */
    private static final int NAMES_SHOWN = 20;

    private final List<String> declared;
    private final Set<String> asked = new LinkedHashSet<>();

    UndeclaredNames(Set<String> declared) {
        this.declared = List.copyOf(declared);
    }

    /** Notes that {@code name} was asked for, and makes the error the caller gets. */
    AssertionError record(String name) {
        synchronized (asked) {
            asked.add(name);
        }
        return new AssertionError("secret \"" + shown(name) + "\" is not one of the fake secrets this test declared "
                + declaredNames() + "; declare it (FakeSecrets.builder().string(\"" + shown(name) + "\", ...), or "
                + ".binary, .json, or .failing(\"" + shown(name) + "\", Reason.NOT_FOUND) for a secret the code must do "
                + "without). No call to Secrets Manager was made.");
    }

    /** Fails if anything undeclared was asked for. */
    void check() {
        List<String> names;
        synchronized (asked) {
            names = new ArrayList<>(asked);
        }
        if (!names.isEmpty()) {
            List<String> quoted = new ArrayList<>();
            names.forEach(name -> quoted.add("\"" + shown(name) + "\""));
            throw new AssertionError("the code under test asked for secrets this test did not declare: "
                    + String.join(", ", quoted) + " (each call failed with an AssertionError; if none reached the "
                    + "test, the code caught it). Declare them with FakeSecrets.builder().");
        }
    }

    private String declaredNames() {
        if (declared.isEmpty()) {
            return "(none)";
        }
        List<String> quoted = new ArrayList<>();
        for (String name : declared.subList(0, Math.min(declared.size(), NAMES_SHOWN))) {
            quoted.add("\"" + shown(name) + "\"");
        }
        return "(" + String.join(", ", quoted) + (declared.size() > NAMES_SHOWN ? ", ..." : "") + ")";
    }

    /** A name on one line: names are data and may hold control characters. */
    static String shown(String name) {
        return EnvironmentVariables.shown(name);
    }
}
