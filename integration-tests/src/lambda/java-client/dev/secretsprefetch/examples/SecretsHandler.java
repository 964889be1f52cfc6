// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.secretsprefetch.Secrets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A function that needs secrets at start-up and per request. {@code Secrets.get} reads them from the
 * layer's manifest when the extension runs (waiting while it is still fetching), and calls Secrets Manager
 * itself when it does not.
 *
 * <p>Init fetches every id in {@code SECRET_IDS}; an event {@code {"get": ["id", ...]}} fetches more. The
 * answer holds SHA-256 fingerprints, never values.
 */
public final class SecretsHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final Map<String, String> atInit;

    /** What Lambda calls once per execution environment, during its init. */
    public SecretsHandler() {
        this(System.getenv("SECRET_IDS"));
    }

    /** With the ids to read at init given directly, as a unit test does. */
    SecretsHandler(String secretIds) {
        // Init: from the extension's manifest (waiting while it is still fetching), or a direct call without it.
        // In the constructor rather than a static initializer: each test constructs its own, with its own fakes.
        atInit = Fingerprints.of(Fingerprints.ids(secretIds), Secrets::get);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("init", atInit);
        answer.put("request", Fingerprints.of(Fingerprints.requested(event), Secrets::get));
        return answer;
    }
}
