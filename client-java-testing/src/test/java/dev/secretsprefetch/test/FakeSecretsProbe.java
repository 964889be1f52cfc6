// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.test;

import dev.secretsprefetch.Secrets;
import dev.secretsprefetch.SecretsException;
import dev.secretsprefetch.SecretsException.Reason;

/**
 * A test JVM of its own, for {@link NoNetworkTest}: {@code FakeSecretsProbe fakes} serves a declared secret,
 * asks for an undeclared one and a failing one, and closes the scope; {@code FakeSecretsProbe fakes-then-real} then
 * asks the client again, outside any scope, as a later real run would. Prints what happened and SHA-256
 * fingerprints, never a value.
 */
public final class FakeSecretsProbe {

    /** The fake value of {@code api-key}; the real manifest the probe's environment names holds another. */
    static final String FAKE_API_KEY = "fixture-probe-fake-api-key-spv-Pr0b";

    private FakeSecretsProbe() {
    }

    public static void main(String[] args) {
        FakeSecrets secrets = FakeSecrets.builder()
                .string("api-key", FAKE_API_KEY)
                .failing("flags", Reason.THROTTLED)
                .build();
        FakeSecrets.Scope scope = secrets.open();
        System.out.println("fake api-key " + Fingerprints.of(Secrets.get("api-key")));
        try {
            Secrets.get("prod/direct");
            System.out.println("undeclared served");
        } catch (AssertionError e) {
            System.out.println("undeclared failed");
        }
        try {
            Secrets.get("flags");
            System.out.println("failing served");
        } catch (SecretsException e) {
            System.out.println("failing " + e.reason());
        }
        try {
            scope.close();
            System.out.println("closed");
        } catch (AssertionError e) {
            System.out.println("closed failing the test");
        }
        if (args.length > 0 && args[0].equals("fakes-then-real")) {
            System.out.println("real api-key " + Fingerprints.of(Secrets.get("api-key")));
            System.out.println("real prod/direct " + Fingerprints.of(Secrets.get("prod/direct")));
        }
    }
}
