// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.extension.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.secretsprefetch.extension.aws.SsmJson.ParameterValue;
import dev.secretsprefetch.extension.aws.SsmJson.ParametersAnswer;
import dev.secretsprefetch.manifest.SecretValue;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The awsJson1_1 bodies of SSM's GetParameters, as SSM documents them. */
class SsmJsonTest {

    private static ByteArrayInputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theRequestAsksForDecryption() {
        assertEquals("{\"Names\":[\"/a\",\"/b:3\"],\"WithDecryption\":true}",
                new String(SsmJson.getParametersRequest(List.of("/a", "/b:3")), StandardCharsets.UTF_8));
    }

    @Test
    void anAnswerGivesEachParameterAndTheInvalidNames() {
        ParametersAnswer answer = SsmJson.parametersAnswer(body("""
                {"Parameters":[{"Name":"/a","Type":"SecureString","Value":"spv-ssm-json-Pp01","Version":4,
                  "Selector":":4","ARN":"arn:aws:ssm:us-east-1:123456789012:parameter/a","DataType":"text",
                  "LastModifiedDate":1.7E9}],
                 "InvalidParameters":["/missing"]}
                """));
        ParameterValue a = answer.parameters().get(0);
        assertEquals("/a", a.name());
        assertEquals(Optional.of("SecureString"), a.type());
        assertEquals(OptionalLong.of(4), a.version());
        assertEquals(Optional.of(":4"), a.selector());
        assertEquals(Optional.of("arn:aws:ssm:us-east-1:123456789012:parameter/a"), a.arn());
        assertTrue(a.value() instanceof SecretValue.Text);
        assertEquals(List.of("/missing"), answer.invalid());
        ParametersAnswer empty = SsmJson.parametersAnswer(body("{\"Parameters\":null,\"InvalidParameters\":null}"));
        assertTrue(empty.parameters().isEmpty() && empty.invalid().isEmpty());
    }

    @Test
    void aParameterWithoutAValueIsAFailureOfItsOwn() {
        ParameterValue value = SsmJson.parametersAnswer(body("{\"Parameters\":[{\"Name\":\"/a\"}]}")).parameters().get(0);
        assertEquals(FetchErrors.CLIENT_ERROR, ((SecretValue.Failure) value.value()).code());
    }

    @Test
    void brokenAnswersAreUnreadableAndTheirTextIsNeverQuoted() {
        for (String broken : List.of(
                "{\"Parameters\":[{\"Name\":\"/a\",\"Value\":\"spv-ssm-cut-Qq02",
                "{\"Parameters\":[{\"Name\":\"/a\",\"Value\":\"spv-ssm-ok-Rr03\",\"Version\":\"spv-ssm-ver-Ss04\"}]}",
                "{\"Parameters\":[{\"Value\":\"spv-ssm-noname-Tt05\"}]}",
                "{\"Parameters\":{\"Value\":\"spv-ssm-obj-Uu06\"}}",
                "")) {
            AwsCallException e = assertThrows(AwsCallException.class, () -> SsmJson.parametersAnswer(body(broken)));
            assertTrue(e.kind() == AwsCallException.Kind.UNREADABLE
                    || e.kind() == AwsCallException.Kind.CONNECTION, e.kind().name());
            assertFalse(e.getMessage().contains("spv-"), "the message quotes the answer");
        }
    }
}
