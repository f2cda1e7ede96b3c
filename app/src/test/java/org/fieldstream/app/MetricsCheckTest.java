package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsCheckTest {

    @Test
    void numbersCompareByValueNotByText() {
        assertTrue(MetricsCheck.same(30, "30"));
        assertTrue(MetricsCheck.same(0.7333333333333333, "0.7333333333333333"));
        assertTrue(MetricsCheck.same(1L, "1.0"));
        assertFalse(MetricsCheck.same(30, "31"));
        assertFalse(MetricsCheck.same(0.5, "0.51"));
        assertFalse(MetricsCheck.same(3, "three"));
    }

    @Test
    void nullsAndTextCompareExactly() {
        assertTrue(MetricsCheck.same(null, null));
        assertFalse(MetricsCheck.same(null, "x"));
        assertFalse(MetricsCheck.same("female", null));
        assertTrue(MetricsCheck.same("2026-02-01", "2026-02-01"));
        assertFalse(MetricsCheck.same("2026-02-01", "2026-02-02"));
    }
}
