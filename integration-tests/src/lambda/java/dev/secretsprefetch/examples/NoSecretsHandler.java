// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** The benchmark's baseline: the same deployment package, no secrets, no AWS SDK. */
public final class NoSecretsHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Map.of("init", Map.of(), "request", Map.of());
    }
}
