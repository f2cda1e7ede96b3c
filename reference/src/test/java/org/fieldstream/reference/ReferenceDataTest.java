package org.fieldstream.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ReferenceDataTest {

    private final ReferenceData data = ReferenceData.bundled();

    @Test
    void loadsBothProgramsWithTheirMetricParameters() {
        assertEquals(Set.of("shouhardo3", "iid-edu"), Set.copyOf(data.programs().stream().map(p -> p.getProgramId()).toList()));
        data.programs().forEach(p -> {
            assertEquals(3, p.getDropoutMissedSessions());
            assertEquals(0.8, p.getCompletionAttendance());
            assertTrue(p.getEndDate().isAfter(p.getStartDate()));
        });
    }

    @Test
    void everyParentExistsOneLevelUp() {
        List<String> levels = List.of("division", "district", "upazila", "union", "village");
        for (OrgUnit u : data.orgUnits()) {
            assertTrue(levels.contains(u.getLevel()), u.getOrgUnitId());
            if ("division".equals(u.getLevel())) {
                assertEquals(null, u.getParentId());
                continue;
            }
            OrgUnit parent = data.orgUnit(u.getParentId()).orElse(null);
            assertNotNull(parent, "parent of " + u.getOrgUnitId());
            assertEquals(levels.indexOf(u.getLevel()) - 1, levels.indexOf(parent.getLevel()), u.getOrgUnitId());
        }
    }

    @Test
    void ancestryIdsAreTheParentsPlusTheUnitItself() {
        for (OrgUnit u : data.orgUnits()) {
            OrgUnit parent = data.orgUnit(u.getParentId()).orElse(null);
            assertAncestor("division", u.getDivisionId(), u, parent == null ? null : parent.getDivisionId());
            assertAncestor("district", u.getDistrictId(), u, parent == null ? null : parent.getDistrictId());
            assertAncestor("upazila", u.getUpazilaId(), u, parent == null ? null : parent.getUpazilaId());
            assertAncestor("union", u.getUnionId(), u, parent == null ? null : parent.getUnionId());
        }
    }

    private static void assertAncestor(String level, String actual, OrgUnit unit, String fromParent) {
        String expected = level.equals(unit.getLevel()) ? unit.getOrgUnitId() : fromParent;
        assertEquals(expected, actual, level + " of " + unit.getOrgUnitId());
    }

    @Test
    void partnersBelongToKnownProgramsAndOffices() {
        assertTrue(data.partner("ndp").isPresent());
        for (Partner p : data.partners()) {
            assertTrue(data.program(p.getProgramId()).isPresent(), p.getPartnerId());
            assertTrue(data.orgUnit(p.getOrgUnitId()).isPresent(), p.getPartnerId());
        }
    }

    @Test
    void targetsNameKnownProgramsAndDimensions() {
        assertFalse(data.targets().isEmpty());
        for (Target t : data.targets()) {
            assertTrue(data.program(t.getProgramId()).isPresent());
            boolean known = switch (t.getDimension()) {
                case "program" -> t.getDimensionId().equals(t.getProgramId());
                case "partner" -> data.partner(t.getDimensionId()).map(p -> p.getProgramId().equals(t.getProgramId())).orElse(false);
                case "district", "upazila" -> data.orgUnit(t.getDimensionId()).map(u -> u.getLevel().equals(t.getDimension())).orElse(false);
                default -> false;
            };
            assertTrue(known, ReferenceData.targetKey(t));
        }
    }

    @Test
    void keepsBanglaNames() {
        assertEquals("সিরাজগঞ্জ", data.orgUnit("bd-sirajganj").orElseThrow().getNameBn());
        assertEquals("bd-sirajganj", data.orgUnit("bd-kazipur-natuarpara-purbapara").orElseThrow().getDistrictId());
    }
}
