package org.fieldstream.seeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.fieldstream.reference.ReferenceData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's expected data-quality scorecard: the planted cohort's problems counted where they
 * were planted, the delivery plan's twists where they were planned, and the files written.
 */
class QualityExpectationTest {

    private static final ReferenceData REFERENCE = ReferenceData.bundled();

    @TempDir
    Path dir;

    @Test
    void thePlantedCohortsProblemsAreCountedInTheirPartnerMonths() throws Exception {
        ScenarioGenerator.Result demo = new ScenarioGenerator(REFERENCE, 42, Size.DEMO).generate(dir);
        QualityExpectation q = demo.quality(REFERENCE, LocalDate.of(2026, 12, 1));
        Map<String, Object> may = q.partnerMonth().get("shouhardo3|ndp|2026-05-01");
        // session 3 held with no attendance; sessions 2 (two strangers) and 4 (the joint session) with more present than enrolled
        assertEquals(1L, may.get("held_sessions_without_attendance"));
        assertEquals(2L, may.get("sessions_more_present_than_enrolled"));
        // the joint session's 64 present is the one outlier; attendance for session 6, never held, sent with June's files (received 3 July)
        assertEquals(1L, q.scorecard().get("shouhardo3|ndp|2026-05-01").get("outlier_sessions"));
        assertEquals(2L, q.scorecard().get("shouhardo3|ndp|2026-07-01").get("attendance_waiting"));
        // the planted cohort ended on 21 June with five of eight sessions held and no exit
        assertTrue((Long) q.scorecard().get("shouhardo3|ndp|2026-06-01").get("cohorts_open_after_end") >= 1);
        // the late upload of ndp's February attendance and the second push of mms's March attendance
        assertTrue((Double) q.scorecard().get("shouhardo3|ndp|2026-02-01").get("on_time_share") < 0.8);
        Map<String, Object> march = q.scorecard().get("shouhardo3|mms|2026-03-01");
        assertEquals("outside", march.get("status"));
        assertTrue(((String) march.get("outside_measures")).contains("duplicate_share"), march.toString());
        // the last month's corrections come on 8 July, after May's deadline
        assertTrue((Long) q.scorecard().get("shouhardo3|ndp|2026-05-01").get("late_edits") > 0);
        long rejected = q.scorecard().values().stream().mapToLong(r -> (Long) r.get("rows_rejected")).sum();
        long perDelivery = demo.deliveries().stream()
                .mapToLong(d -> demo.rejected().stream().filter(r -> r.file().equals(d.file())).count()).sum();
        assertEquals(perDelivery, rejected);
        assertEquals(perDelivery, q.rejectedByReason().values().stream().mapToLong(Long::longValue).sum());
        assertTrue(q.rejectedByReason().keySet().stream().anyMatch(k -> k.endsWith("|session_number|session_above_planned")),
                q.rejectedByReason().toString());
        assertTrue(Files.readString(dir.resolve("expected/dq_rejected_rows.jsonl")).contains("\"reason_code\":\"not_a_date\""));
        // read before the planted cohort's end, it is not yet past it
        QualityExpectation early = demo.quality(REFERENCE, QualityPlants.START.plusWeeks(QualityPlants.PLANNED - 1));
        assertEquals(0L, early.scorecard().get("shouhardo3|ndp|2026-06-01").get("cohorts_open_after_end"));

        List<String> written = Files.readAllLines(dir.resolve("expected/dq_scorecard.jsonl"));
        assertEquals(q.scorecard().size(), written.size());
        assertTrue(Files.readString(dir.resolve("expected/dq_partner_month.jsonl")).contains("\"sessions_more_present_than_enrolled\":2"));
        assertEquals(demo.deliveries(), DeliveryPlan.read(dir.resolve("delivery.csv")));
    }

    @Test
    void theTinyScenarioHasNoPlantedCohort(@TempDir Path tiny) {
        ScenarioGenerator.Result result = new ScenarioGenerator(REFERENCE, 42, Size.TINY).generate(tiny);
        assertFalse(result.sent().stream().anyMatch(s -> s.record() instanceof FieldRecord.Cohort c && c.cohortId().endsWith("-dq001")));
        assertTrue(result.quality(REFERENCE, LocalDate.of(2026, 12, 1)).scorecard().values().stream()
                .allMatch(r -> (Long) r.get("attendance_waiting") == 0));
    }
}
