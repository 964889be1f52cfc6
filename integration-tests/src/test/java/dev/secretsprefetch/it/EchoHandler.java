// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/** A Java handler for the runtime interface client: echoes the event, or throws when asked to. */
public final class EchoHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        if (event.containsKey("fail")) {
            throw new IllegalStateException("asked to fail: " + event.get("fail"));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("echo", event);
        answer.put("requestId", context.getAwsRequestId());
        answer.put("function", context.getFunctionName());
        answer.put("taskRoot", System.getenv("LAMBDA_TASK_ROOT"));
        return answer;
    }
}
