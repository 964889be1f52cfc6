// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.test;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A sample test class, run by a test through {@link Samples#engine()} and never on its own: some fail on purpose,
 * and a {@code -Dtest=} pattern that matches nested classes would otherwise run them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(Samples.OnlyAsSample.class)
@interface Sample {
}
