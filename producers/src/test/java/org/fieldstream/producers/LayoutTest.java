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
        assertTrue(d.problem().contains("is not the header of a layout"), d.problem());
    }

    @Test
    void aDataRowTakenForAHeaderIsNotQuoted() {
        Layout.Detection d = Layout.detect(List.of("C1", "PK-77", "sex", "Rokeya Begum", "01711000077"));
        assertFalse(d.found());
        assertTrue(d.problem().contains("it names only the columns [sex]"), d.problem());
        for (String value : List.of("C1", "PK-77", "Rokeya", "01711000077")) {
            assertFalse(d.problem().contains(value), d.problem());
        }
    }
}
