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

    // Init: from the extension's manifest (waiting while it is still fetching), or a direct call without it.
    private static final Map<String, String> AT_INIT = Fingerprints.of(Fingerprints.ids(System.getenv("SECRET_IDS")),
            Secrets::get);

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("init", AT_INIT);
        answer.put("request", Fingerprints.of(Fingerprints.requested(event), Secrets::get));
        return answer;
    }
}
