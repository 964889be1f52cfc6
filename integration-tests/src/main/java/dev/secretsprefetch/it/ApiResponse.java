// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** One answer of the simulated Runtime or Extensions API. */
record ApiResponse(int status, Map<String, String> headers, byte[] body) {

    static final ObjectMapper JSON = new ObjectMapper();

    static ApiResponse json(int status, Map<String, String> headers, Object body) {
        try {
            return new ApiResponse(status, headers, JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an API response", e);
        }
    }

    /** {@code 202 {"status":"OK"}}, Lambda's answer to responses and error reports. */
    static ApiResponse accepted() {
        return json(202, Map.of(), Map.of("status", "OK"));
    }

    /** Lambda's error shape: {@code {"errorMessage": ..., "errorType": ...}}. */
    static ApiResponse error(int status, String type, String message) {
        ObjectNode body = JSON.createObjectNode().put("errorMessage", message).put("errorType", type);
        return json(status, Map.of(), body);
    }
}
