// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch;

/**
 * A handler's first call in a fresh JVM, through the public API only: {@code FirstGetProbe get NAME},
 * {@code FirstGetProbe field NAME FIELD}, {@code FirstGetProbe binary NAME} or {@code FirstGetProbe json NAME} (a
 * map). Prints how long the call took
 * and how long the value is, never the value; exits 2 with the failure's reason when it fails. Used by the
 * class-loading test and by the first-get benchmark.
 */
public final class FirstGetProbe {

    private FirstGetProbe() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        int length;
        try {
            length = switch (args[0]) {
                case "get" -> Secrets.get(args[1]).length();
                case "field" -> Secrets.getField(args[1], args[2]).length();
                case "binary" -> Secrets.getBinary(args[1]).length;
                case "json" -> Secrets.getJson(args[1], java.util.Map.class).size();
                default -> throw new IllegalArgumentException("mode must be get, field, binary or json: " + args[0]);
            };
        } catch (SecretsException e) {
            System.out.println("failed reason=" + e.reason() + " message=" + e.getMessage());
            System.exit(2);
            return;
        } catch (IllegalStateException e) {
            System.out.println("failed misconfigured message=" + e.getMessage());
            System.exit(3);
            return;
        }
        long nanos = System.nanoTime() - start;
        System.out.println("ok nanos=" + nanos + " length=" + length);
    }
}
