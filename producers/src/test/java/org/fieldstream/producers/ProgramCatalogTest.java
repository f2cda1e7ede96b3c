package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;

import org.fieldstream.reference.Partner;
import org.fieldstream.reference.Program;
import org.fieldstream.reference.ReferenceFollower;
import org.junit.jupiter.api.Test;

/** The catalogue as the reference follower fills it: records as published, tombstones as removals. */
class ProgramCatalogTest {

    private static final Program P1 = Program.newBuilder().setProgramId("p1").setName("P1").setStartDate(LocalDate.parse("2024-01-01"))
            .setEndDate(LocalDate.parse("2026-12-31")).setDropoutMissedSessions(3).setCompletionAttendance(0.8).build();

    @Test
    void aRetiredPartnerOrProgramIsRefused() {
        ProgramCatalog catalog = new ProgramCatalog();
        ReferenceFollower.Catalog followed = catalog;
        followed.add(P1);
        followed.add(Partner.newBuilder().setPartnerId("ndp").setProgramId("p1").setName("NDP").setOrgUnitId(null).build());
        assertNull(catalog.refusal("p1", "ndp"));
        assertEquals(LocalDate.parse("2026-12-31"), catalog.programEnd("p1").orElseThrow());

        followed.removePartner("ndp");
        assertEquals("unknown partner ndp (partners come from reference data: ./fieldstream reference load DIR)",
                catalog.refusal("p1", "ndp"));

        followed.add(Partner.newBuilder().setPartnerId("ndp").setProgramId("p1").setName("NDP").setOrgUnitId(null).build());
        followed.removeProgram("p1");
        assertEquals("unknown program p1 (programs come from reference data: ./fieldstream reference load DIR)",
                catalog.refusal("p1", "ndp"));
        assertEquals(false, catalog.programEnd("p1").isPresent(), "a retired program's end date goes with it");
    }
}
