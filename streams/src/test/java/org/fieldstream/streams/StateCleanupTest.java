package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class StateCleanupTest {

    @Test
    void olderStateFormatsOfTheSameApplicationOnly() {
        assertEquals(Optional.of("fs-state3"), StateCleanup.olderApplication("fs", 4, "fs-state3"));
        assertEquals(Optional.of("fs-state0"), StateCleanup.olderApplication("fs", 4, "fs-state0"));
        assertEquals(Optional.empty(), StateCleanup.olderApplication("fs", 4, "fs-state4"), "the current one");
        assertEquals(Optional.empty(), StateCleanup.olderApplication("fs", 4, "fs-state5"), "a newer one");
        assertEquals(Optional.empty(), StateCleanup.olderApplication("fs", 4, "fs-other-state3"), "another application");
        assertEquals(Optional.empty(), StateCleanup.olderApplication("f.s", 4, "fxs-state3"), "the id is taken literally");
        assertEquals(Optional.empty(), StateCleanup.olderApplication("fs", 4, "fs-state3x"));
    }

    @Test
    void internalTopicsBelongToTheApplicationTheyStartWith() {
        assertEquals(Optional.of("fs-state3"), StateCleanup.ownerOfTopic("fs", 4, "fs-state3-aggregate-roots-changelog"));
        assertEquals(Optional.of("fs-state3"), StateCleanup.ownerOfTopic("fs", 4, "fs-state3-KSTREAM-REPARTITION-0000000003-repartition"));
        assertEquals(Optional.empty(), StateCleanup.ownerOfTopic("fs", 4, "fs-state4-aggregate-roots-changelog"));
        assertEquals(Optional.empty(), StateCleanup.ownerOfTopic("fs", 4, "fs-state3"));
        assertEquals(Optional.empty(), StateCleanup.ownerOfTopic("fs", 4, "fieldstream.events"));
        assertEquals(Optional.empty(), StateCleanup.ownerOfTopic("fs", 4, "fs-other-state3-aggregate-roots-changelog"));
    }
}
