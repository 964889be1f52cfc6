// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.testing;

import dev.secretsprefetch.testing.MotoServer.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IAM identities of a moto server that verifies signatures, created through the requests it lets through
 * unauthenticated ({@code INITIAL_NO_AUTH_ACTION_COUNT} = {@link #BOOTSTRAP_REQUESTS}): plain form POSTs of
 * the IAM and STS query APIs.
 */
record MotoIdentities(Credentials user, Credentials session) {

    /** The requests {@link #create} makes before moto starts authenticating. */
    static final int BOOTSTRAP_REQUESTS = 6;

    private static final String NAME = "secrets-prefetch-tests";
    private static final String SECRETS_MANAGER_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}]}""";
    private static final String TRUST_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",\
            "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}""";

    /**
     * Creates the user (with an access key and an inline policy) and the role (with the same policy), assumes
     * the role, and checks that moto authenticates from then on.
     */
    static MotoIdentities create(URI endpoint) {
        call(endpoint, "iam", "CreateUser", "UserName", NAME);
        String userKeys = call(endpoint, "iam", "CreateAccessKey", "UserName", NAME);
        call(endpoint, "iam", "PutUserPolicy", "UserName", NAME, "PolicyName", "secretsmanager",
                "PolicyDocument", SECRETS_MANAGER_POLICY);
        String role = call(endpoint, "iam", "CreateRole", "RoleName", NAME, "AssumeRolePolicyDocument", TRUST_POLICY);
        call(endpoint, "iam", "PutRolePolicy", "RoleName", NAME, "PolicyName", "secretsmanager",
                "PolicyDocument", SECRETS_MANAGER_POLICY);
        String session = call(endpoint, "sts", "AssumeRole", "RoleArn", element(role, "Arn"),
                "RoleSessionName", NAME, "DurationSeconds", "3600");
        requireAuthentication(endpoint);
        return new MotoIdentities(
                new Credentials(element(userKeys, "AccessKeyId"), element(userKeys, "SecretAccessKey"), null),
                new Credentials(element(session, "AccessKeyId"), element(session, "SecretAccessKey"),
                        element(session, "SessionToken")));
    }

    private static void requireAuthentication(URI endpoint) {
        Answer answer = post(endpoint, "iam", form("GetUser", "UserName", NAME));
        if (answer.status() != 403 || !answer.body().contains("InvalidClientTokenId")) {
            throw new IllegalStateException("moto does not authenticate requests after the first "
                    + BOOTSTRAP_REQUESTS + " (INITIAL_NO_AUTH_ACTION_COUNT): an unauthenticated GetUser got HTTP "
                    + answer.status() + "; does this moto version still support it?");
        }
    }

    private static String call(URI endpoint, String service, String action, String... parameters) {
        Answer answer = post(endpoint, service, form(action, parameters));
        if (answer.status() != 200) {
            throw new IllegalStateException("moto refused " + service + ":" + action + " while creating the test "
                    + "identities: HTTP " + answer.status() + "\n" + answer.body());
        }
        return answer.body();
    }

    private static Map<String, String> form(String action, String... parameters) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", action);
        form.put("Version", action.equals("AssumeRole") ? "2011-06-15" : "2010-05-08");
        for (int i = 0; i < parameters.length; i += 2) {
            form.put(parameters[i], parameters[i + 1]);
        }
        return form;
    }

    private record Answer(int status, String body) {
    }

    private static Answer post(URI endpoint, String service, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((key, value) -> body.append(body.isEmpty() ? "" : "&").append(key).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
            // moto routes a request to a service by the credential scope of its Authorization header; these
            // requests are let through unchecked, so the rest of the header is a placeholder.
            connection.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=bootstrap/20250101/us-east-1/"
                    + service + "/aws4_request, SignedHeaders=host, Signature=unchecked");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.toString().getBytes(StandardCharsets.UTF_8));
            }
            int status = connection.getResponseCode();
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot call moto's " + service + " API at " + endpoint + ": "
                    + e.getMessage(), e);
        }
    }

    private static String element(String xml, String name) {
        Matcher matcher = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(xml);
        if (!matcher.find()) {
            throw new IllegalStateException("moto's answer has no <" + name + ">:\n" + xml);
        }
        return matcher.group(1);
    }
}
