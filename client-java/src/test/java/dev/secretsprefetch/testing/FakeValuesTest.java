// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FakeValuesTest {

    @Test
    void freshValuesCarryAMarker() {
        assertTrue(FakeValues.isMarked(FakeValues.text("label")));
        byte[] binary = FakeValues.binary(0, 255);
        assertSame(binary, FakeValues.requireMarked(binary));
        assertTrue(new String(binary, StandardCharsets.ISO_8859_1).startsWith("spv-"));
    }

    @Test
    void unmarkedValuesAreRefusedWithoutShowingThem() {
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> FakeValues.requireMarked("plain-value-Xy12"));
        assertFalse(text.getMessage().contains("plain-value-Xy12"), text.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FakeValues.requireMarked("spv-ab"), "too short a marker");
        byte[] late = ("x" + FakeValues.text("late")).getBytes(StandardCharsets.US_ASCII);
        assertThrows(IllegalArgumentException.class, () -> FakeValues.requireMarked(late), "binary: marker first");
    }
}
