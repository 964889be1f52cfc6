package dev.secretsprefetch.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretArnTest {

    @Test
    void regionComesFromTheArn() throws Exception {
        SecretArn arn = SecretArn.parse("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:a/b-AbCdEf");
        assertEquals("aws-cn", arn.partition());
        assertEquals("cn-north-1", arn.region());
        assertEquals("a/b-AbCdEf", arn.resource());
        assertEquals(Optional.of("us-gov-west-1"),
                SecretSpec.of("x", "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x").arnRegion());
    }

    @Test
    void namesHaveNoArnRegion() {
        assertEquals(Optional.empty(), SecretSpec.of("x", "prod/db").arnRegion());
    }

    @Test
    void malformedArnsAreRefused() {
        assertThrows(SecretArn.InvalidArnException.class, () -> SecretArn.parse("arn:aws:secretsmanager:us-east-1"));
        assertThrows(SecretArn.InvalidArnException.class,
                () -> SecretArn.parse("arn:aws:secretsmanager:us-east-1:123456789012:secret:"));
        assertEquals(Optional.empty(), SecretArn.of("arn:aws:s3:::bucket"));
    }

    @Test
    void misspeltKeysGetSuggestionsButUnrelatedOnesDoNot() {
        java.util.List<String> keys = ConfigJson.TOP_LEVEL_KEYS;
        assertEquals(Optional.of("fetchDeadlineMs"), Suggestions.closest("fetchDeadline", keys));
        assertEquals(Optional.of("keepOnShutdown"), Suggestions.closest("keeponshutdown", keys));
        assertEquals(Optional.of("secrets"), Suggestions.closest("secret", keys));
        assertEquals(Optional.empty(), Suggestions.closest("region", keys));
    }
}
