package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class LayoutTest {

    @Test
    void recognisesEveryLayoutFromItsRequiredColumnsInAnyOrder() {
        for (Layout layout : Layout.values()) {
            List<String> reversed = new java.util.ArrayList<>(layout.required());
            java.util.Collections.reverse(reversed);
            reversed.add("some_extra_column");
            assertEquals(layout, Layout.detect(reversed).layout(), layout.id());
        }
    }

    @Test
    void prefersAttendanceOverSessionsWhenBothMatch() {
        Layout.Detection d = Layout.detect(List.of("cohort_id", "session_number", "held_on", "person_key", "status"));
        assertEquals(Layout.ATTENDANCE, d.layout());
    }

    @Test
    void headerNamesAreTrimmedAndCaseInsensitive() {
        assertEquals(Layout.EXITS, Layout.detect(List.of(" Cohort_ID", "PERSON_KEY ", "Reason")).layout());
    }

    @Test
    void unknownHeaderExplainsWhy() {
        Layout.Detection d = Layout.detect(List.of("foo", "bar"));
        assertFalse(d.found());
        assertTrue(d.problem().contains("matches no layout"), d.problem());
    }
}
