package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;

import org.fieldstream.events.SessionHeld;
import org.junit.jupiter.api.Test;

class RecordIdsTest {

    private static byte[] session(int number, LocalDate heldOn) {
        return PayloadBytes.of(SessionHeld.newBuilder().setCohortId("C1").setSessionNumber(number).setHeldOn(heldOn).build());
    }

    @Test
    void sameInputsGiveSameIds() {
        String root = RecordIds.rootId("P1", "X", "cohorts", "C1");
        assertEquals(root, RecordIds.rootId("P1", "X", "cohorts", "C1"));
        byte[] content = session(1, LocalDate.of(2026, 1, 5));
        assertEquals(RecordIds.eventId("X", root, 2, content), RecordIds.eventId("X", root, 2, session(1, LocalDate.of(2026, 1, 5))));
        assertTrue(root.matches("[0-9a-f]{32}"), root);
    }

    @Test
    void everyPartChangesTheId() {
        String root = RecordIds.rootId("P1", "X", "cohorts", "C1");
        assertNotEquals(root, RecordIds.rootId("P2", "X", "cohorts", "C1"));
        assertNotEquals(root, RecordIds.rootId("P1", "Y", "cohorts", "C1"));
        assertNotEquals(root, RecordIds.rootId("P1", "X", "dialogues", "C1"));
        assertNotEquals(root, RecordIds.rootId("P1", "X", "cohorts", "C2"));
        byte[] content = session(1, LocalDate.of(2026, 1, 5));
        String id = RecordIds.eventId("X", root, 1, content);
        assertNotEquals(id, RecordIds.eventId("X", root, 2, content));
        assertNotEquals(id, RecordIds.eventId("Y", root, 1, content));
        assertNotEquals(id, RecordIds.eventId("X", RecordIds.rootId("P1", "X", "cohorts", "C2"), 1, content));
    }

    @Test
    void twoContentsOfOneRevisionAreTwoEvents() {
        String root = RecordIds.rootId("P1", "X", "sessions", RecordIds.joinKey("C1", "1"));
        assertNotEquals(RecordIds.eventId("X", root, 2, session(1, LocalDate.of(2026, 1, 5))),
                RecordIds.eventId("X", root, 2, session(1, LocalDate.of(2026, 1, 6))));
    }

    @Test
    void partsCannotShiftIntoEachOther() {
        assertNotEquals(RecordIds.rootId("P1", "X", "sessions", RecordIds.joinKey("C1", "12")),
                RecordIds.rootId("P1", "X", "sessions", RecordIds.joinKey("C11", "2")));
    }
}
