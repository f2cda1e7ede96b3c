package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecordIdsTest {

    @Test
    void sameInputsGiveSameIds() {
        String root = RecordIds.rootId("P1", "X", "cohorts", "C1");
        assertEquals(root, RecordIds.rootId("P1", "X", "cohorts", "C1"));
        assertEquals(RecordIds.eventId("csv", "X", root, 2), RecordIds.eventId("csv", "X", root, 2));
        assertTrue(root.matches("[0-9a-f]{32}"), root);
    }

    @Test
    void everyPartChangesTheId() {
        String root = RecordIds.rootId("P1", "X", "cohorts", "C1");
        assertNotEquals(root, RecordIds.rootId("P2", "X", "cohorts", "C1"));
        assertNotEquals(root, RecordIds.rootId("P1", "Y", "cohorts", "C1"));
        assertNotEquals(root, RecordIds.rootId("P1", "X", "dialogues", "C1"));
        assertNotEquals(root, RecordIds.rootId("P1", "X", "cohorts", "C2"));
        assertNotEquals(RecordIds.eventId("csv", "X", root, 1), RecordIds.eventId("csv", "X", root, 2));
        assertNotEquals(RecordIds.eventId("csv", "X", root, 1), RecordIds.eventId("api", "X", root, 1));
    }

    @Test
    void partsCannotShiftIntoEachOther() {
        assertNotEquals(RecordIds.rootId("P1", "X", "sessions", RecordIds.joinKey("C1", "12")),
                RecordIds.rootId("P1", "X", "sessions", RecordIds.joinKey("C11", "2")));
    }
}
