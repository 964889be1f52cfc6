// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What functions do without this project: build a Secrets Manager client during init and call
 * GetSecretValue once per secret in {@code SECRET_IDS}, one after the other. The benchmark's comparison.
 */
public final class SdkInInitHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final SecretsManagerClient SECRETS_MANAGER = SecretsManagerClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
    private static final Map<String, String> AT_INIT = Fingerprints.of(Fingerprints.ids(System.getenv("SECRET_IDS")),
            SdkInInitHandler::fetch);

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("init", AT_INIT);
        answer.put("request", Fingerprints.of(Fingerprints.requested(event), SdkInInitHandler::fetch));
        return answer;
    }

    private static String fetch(String secretId) {
        return SECRETS_MANAGER.getSecretValue(request -> request.secretId(secretId)).secretString();
    }
}
