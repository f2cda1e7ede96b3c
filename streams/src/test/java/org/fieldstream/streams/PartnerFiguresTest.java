package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecordBase;
import org.fieldstream.metrics.OutreachCount;
import org.junit.jupiter.api.Test;

/**
 * A partner's figures depend only on its own records: another partner's records naming the same
 * persons (shared person ids) with another sex, birth year and earlier and later reach change no
 * row of the first partner in any metric topic — outreach cells of dimension partner, cohort totals
 * and groups, participants, survival curve, dialogues — while the program's pooled cells do change.
 */
class PartnerFiguresTest {

    private static final String PROGRAM = "p1";

    private static TopologyHarness harness() {
        TopologyHarness h = new TopologyHarness();
        h.program(ItKafka.program(PROGRAM, ItScenario.PROGRAM_START));
        ItScenario.ORG_UNITS.forEach(h::orgUnit);
        return h;
    }

    @Test
    void anotherPartnersRecordsOfTheSamePersonsLeaveThePartnersRowsExactlyAsTheyWere() {
        try (TopologyHarness h = harness()) {
            h.send(TwoPartners.owner(PROGRAM));
            h.settle();
            Map<String, SpecificRecordBase> before = new TreeMap<>(TwoPartners.rowsOf(h.all(), TwoPartners.OWNER));
            assertEquals(7, TwoPartners.topicsOf(before).size(), "the owner has rows in every metric topic: " + TwoPartners.topicsOf(before));
            OutreachCount pooledBefore = h.rows(h.topics.outreach).get("p1|month|2026-01|program|p1|all|all");

            h.send(TwoPartners.other(PROGRAM));
            h.settle();

            Map<String, SpecificRecordBase> after = TwoPartners.rowsOf(h.all(), TwoPartners.OWNER);
            assertEquals(before, after, "the owner's rows, version and updated_at included");
            // mms in January by its own records: k1 female 22, k2 female 34, k3 male 16, k4 female 40
            assertEquals(1, reached(h, "month|2026-01|partner|mms|female|youth_15_29"));
            assertEquals(2, reached(h, "month|2026-01|partner|mms|female|adult_30_plus"));
            assertEquals(1, reached(h, "month|2026-01|partner|mms|male|under_15") + reached(h, "month|2026-01|partner|mms|male|youth_15_29"));
            assertEquals(0, reached(h, "month|2026-01|partner|mms|male|adult_30_plus"));
            // the pooled cells take the most recent record of any partner: k3 male born 1980 (ndp's enrolment,
            // Jan 19), k4 male 70 and k2 other 60 (ndp's dialogue, Mar 3), k1 female 22 (mms's dialogue, Feb 20)
            assertEquals(2, reached(h, "month|2026-01|program|p1|male|adult_30_plus"));
            assertEquals(1, reached(h, "month|2026-01|program|p1|other|adult_30_plus"));
            assertEquals(1, reached(h, "month|2026-01|program|p1|female|youth_15_29"));
            assertNotEquals(pooledBefore, h.rows(h.topics.outreach).get("p1|month|2026-01|program|p1|all|all"));
            assertEquals(2, h.rows(h.topics.outreach).get("p1|month|2025-12|partner|ndp|all|all").getNewPeopleReached(), "k1, k3");
            assertEquals(4, h.rows(h.topics.outreach).get("p1|month|2026-01|partner|mms|all|all").getNewPeopleReached(),
                    "new to mms in January, though ndp reached k1 and k3 in December");
            assertEquals(2, h.rows(h.topics.outreach).get("p1|month|2026-01|program|p1|all|all").getNewPeopleReached(),
                    "new to the program in January: k2, k4 (k1 and k3 in December)");
        }
    }

    @Test
    void thePartnersRowsAreTheSameWhetherTheOtherPartnersRecordsCameFirstOrNever() {
        Map<String, String> alone;
        try (TopologyHarness h = harness()) {
            h.send(TwoPartners.owner(PROGRAM));
            h.settle();
            alone = withoutVersions(TwoPartners.rowsOf(h.all(), TwoPartners.OWNER));
        }
        try (TopologyHarness h = harness()) {
            h.send(TwoPartners.other(PROGRAM));
            h.settle();
            h.send(TwoPartners.owner(PROGRAM));
            h.settle();
            Map<String, String> afterOther = withoutVersions(TwoPartners.rowsOf(h.all(), TwoPartners.OWNER));
            assertTrue(alone.equals(afterOther), TopologyHarness.differences(alone, afterOther, 5));
        }
    }

    private static long reached(TopologyHarness h, String cell) {
        OutreachCount c = h.rows(h.topics.outreach).get(PROGRAM + "|" + cell);
        return c == null || c.getDeleted() ? 0 : c.getPeopleReached();
    }

    private static Map<String, String> withoutVersions(Map<String, SpecificRecordBase> rows) {
        Map<String, String> out = new TreeMap<>();
        rows.forEach((key, row) -> out.put(key, TopologyHarness.render(row)));
        return out;
    }
}
