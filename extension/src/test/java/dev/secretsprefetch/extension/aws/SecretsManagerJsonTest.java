// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.aws.SecretsManagerJson.BatchAnswer;
import dev.secretsprefetch.extension.aws.SecretsManagerJson.SecretVersion;
import dev.secretsprefetch.manifest.SecretValue;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The awsJson1_1 bodies of GetSecretValue and BatchGetSecretValue, as Secrets Manager documents them. */
class SecretsManagerJsonTest {

    private static ByteArrayInputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Test
    void requestsCarryOnlyTheFieldsGiven() {
        assertEquals("{\"SecretId\":\"prod/db\"}",
                text(SecretsManagerJson.getSecretValueRequest("prod/db", Optional.empty(), Optional.empty())));
        assertEquals("{\"SecretId\":\"a\\\"b\",\"VersionId\":\"v1\",\"VersionStage\":\"AWSPREVIOUS\"}",
                text(SecretsManagerJson.getSecretValueRequest("a\"b", Optional.of("v1"), Optional.of("AWSPREVIOUS"))));
        assertEquals("{\"SecretIdList\":[\"a\",\"b\"]}",
                text(SecretsManagerJson.batchGetSecretValueRequest(List.of("a", "b"), Optional.empty())));
        assertEquals("{\"SecretIdList\":[\"a\"],\"NextToken\":\"t\"}",
                text(SecretsManagerJson.batchGetSecretValueRequest(List.of("a"), Optional.of("t"))));
    }

    @Test
    void aStringSecretIsReadWithItsVersionAndUnknownFieldsAreSkipped() {
        SecretVersion version = SecretsManagerJson.secretVersion(body("""
                {"ARN":"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf","Name":"db",
                 "VersionId":"v-1","SecretString":"spv-json-string-Aa01","VersionStages":["AWSCURRENT"],
                 "CreatedDate":1.732E9,"Future":{"nested":[1,{"x":null}]},"Other":[true,false]}"""));
        assertEquals(Optional.of("db"), version.name());
        assertEquals(Optional.of("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"), version.arn());
        assertEquals(Optional.of("v-1"), version.versionId());
        assertEquals(List.of("AWSCURRENT"), version.versionStages());
        assertTrue("spv-json-string-Aa01".equals(((SecretValue.Text) version.value()).value()), "value differs");
    }

    @Test
    void aBinarySecretIsDecodedFromBase64() {
        byte[] bytes = {0, 1, 2, (byte) 0xff, 's', 'p', 'v', '-'};
        SecretVersion version = SecretsManagerJson.secretVersion(body(
                "{\"Name\":\"bin\",\"SecretBinary\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}"));
        assertArrayEquals(bytes, ((SecretValue.Binary) version.value()).bytes());
        assertEquals(List.of(), version.versionStages());
    }

    @Test
    void aVersionWithNeitherValueBecomesAFailure() {
        SecretVersion version = SecretsManagerJson.secretVersion(body("{\"Name\":\"empty\",\"SecretString\":null}"));
        assertEquals(FetchErrors.CLIENT_ERROR, assertInstanceOf(SecretValue.Failure.class, version.value()).code());
    }

    @Test
    void aBatchAnswerHasValuesErrorsAndTheNextToken() {
        BatchAnswer answer = SecretsManagerJson.batchAnswer(body("""
                {"SecretValues":[{"Name":"a","SecretString":"spv-json-batch-Bb02"},{"Name":"b","SecretString":"x"}],
                 "Errors":[{"SecretId":"c","ErrorCode":"ResourceNotFoundException","Message":"not here"}],
                 "NextToken":"next"}"""));
        assertEquals(List.of("a", "b"), answer.values().stream().map(v -> v.name().orElseThrow()).toList());
        assertEquals(1, answer.errors().size());
        assertEquals("c", answer.errors().get(0).secretId());
        assertEquals(Optional.of("ResourceNotFoundException"), answer.errors().get(0).code());
        assertEquals(Optional.of("next"), answer.nextToken());
        BatchAnswer empty = SecretsManagerJson.batchAnswer(body("{\"SecretValues\":[],\"Errors\":null}"));
        assertTrue(empty.values().isEmpty() && empty.errors().isEmpty() && empty.nextToken().isEmpty());
    }

    @Test
    void brokenAnswersAreUnreadableAndTheirTextIsNeverQuoted() {
        for (String broken : List.of(
                "{\"SecretString\":\"spv-json-cut-Cc03",
                "{\"SecretString\":\"spv-json-bad-Dd04\" \"x\"}",
                "{\"SecretString\":\"spv-json-after-Ee05\"} spv-json-trailing-Ff06",
                "[\"spv-json-array-Gg07\"]",
                "{\"SecretString\":[\"spv-json-type-Hh08\"]}",
                "{\"SecretBinary\":\"spv-json-not-base64-Ii09!\"}",
                "")) {
            AwsCallException e = assertThrows(AwsCallException.class,
                    () -> SecretsManagerJson.secretVersion(body(broken)));
            assertTrue(e.kind() == AwsCallException.Kind.UNREADABLE
                    || e.kind() == AwsCallException.Kind.CONNECTION, e.kind().name());
            assertFalse(e.getMessage().contains("spv-"), "the message quotes the answer");
            assertTrue(e.retryable());
        }
        AwsCallException list = assertThrows(AwsCallException.class,
                () -> SecretsManagerJson.batchAnswer(body("{\"SecretValues\":{\"Name\":\"spv-json-obj-Jj10\"}}")));
        assertEquals("the answer's SecretValues is not a list", list.getMessage());
    }

    @Test
    void errorCodesLoseTheirNamespaceAndDetails() {
        assertEquals("ResourceNotFoundException", AwsJson.errorCode("ResourceNotFoundException"));
        assertEquals("ResourceNotFoundException",
                AwsJson.errorCode("com.amazonaws.secretsmanager#ResourceNotFoundException"));
        assertEquals("AccessDeniedException", AwsJson.errorCode("AccessDeniedException:http://internal/"));
        var error = AwsJson.errorAnswer("{\"__type\":\"x#DecryptionFailure\",\"Message\":\"kms said no\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.of("DecryptionFailure"), error.code());
        assertEquals(Optional.of("kms said no"), error.message());
        var page = AwsJson.errorAnswer("<html>502 Bad Gateway</html>".getBytes(StandardCharsets.UTF_8));
        assertTrue(page.code().isEmpty() && page.message().isEmpty());
    }
}
