package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;

import org.junit.jupiter.api.Test;

class DashboardScopeTest {

    private static final DashboardScope PROGRAM = new DashboardScope("fieldstream_viewers_0a1b2c3d", "fieldstream_program_tiny", "tiny", null);

    @Test
    void aViewerReadsTheirProgramsScopeAndNoPersonLevelPage() {
        DashboardScope viewer = PROGRAM.asViewer("donor", "tiny");
        assertEquals("donor", viewer.user(), "the page names the viewer, not the internal account");
        assertEquals(PROGRAM.database(), viewer.database());
        assertFalse(viewer.personLevel());
        assertTrue(PROGRAM.personLevel());
        assertEquals("published figures of program tiny", viewer.describe());
        assertNull(PROGRAM.asViewer("donor", "other"), "the reader's scope is not the viewer's program");
        assertNull(new DashboardScope("r", "fieldstream_partner_tiny_x", "tiny", "x").asViewer("donor", "tiny"), "a partner scope");
    }

    @Test
    void aViewerFiltersNothingButTheirProgram() {
        DashboardScope viewer = PROGRAM.asViewer("donor", "tiny");
        Clock clock = Clock.systemUTC();
        for (Filters refused : new Filters[] {new Filters("other", null, null, null, null), new Filters("tiny", "p-small", null, null, null),
                new Filters(null, null, "z-one", null, null), DashboardQuery.parse("from=2025-01")}) {
            assertThrows(DashboardScope.Outside.class, () -> ViewerPage.read(null, viewer, refused, clock), refused.toString());
        }
        assertEquals("retention-per-cohort", ViewerPage.name("Retention per cohort"));
        assertEquals("survival-of-the-cohorts-shown-persons-pooled", ViewerPage.name("Survival of the cohorts shown, persons pooled"));
    }
}
