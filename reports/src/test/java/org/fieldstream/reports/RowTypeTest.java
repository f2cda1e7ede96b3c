package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fieldstream.reports.ReportRows.CohortRetentionRow;
import org.fieldstream.reports.ReportRows.DeadLetterRow;
import org.fieldstream.reports.ReportRows.FreshnessRow;
import org.fieldstream.reports.ReportRows.TargetRow;
import org.junit.jupiter.api.Test;

class RowTypeTest {

    private static final RowType<TargetRow> TARGETS = RowType.of(TargetRow.class);

    @Test
    void theColumnsAndTheSelectListComeFromTheRecord() {
        assertEquals(List.of("program_id", "indicator", "period", "dimension", "dimension_id", "target", "actual", "achievement"),
                TARGETS.names());
        assertEquals("program_id, indicator, period, dimension, dimension_id, target, actual, round(achievement, 4) AS achievement",
                TARGETS.select());
        RowType<CohortRetentionRow> cohorts = RowType.of(CohortRetentionRow.class);
        assertTrue(cohorts.select().contains("transferred, sessions_attended, sessions_expected, "
                + "round(retention_rate, 4) AS retention_rate"), cohorts.select());
        assertTrue(RowType.of(DeadLetterRow.class).select().contains("failed_topic AS topic, count() AS records"),
                RowType.of(DeadLetterRow.class).select());
        assertEquals(new Column("enrolled", "Enrolled", Col.Kind.COUNT), cohorts.columns().get(cohorts.names().indexOf("enrolled")));
        assertEquals(Col.Kind.ID, cohorts.columns().get(0).kind());
    }

    @Test
    void readsFiguresAndWritesThemBackAsClickHousePrintsThem() {
        TargetRow row = TARGETS.read("dash_targets_vs_actuals", target("40", "20", "0.5"));
        assertEquals(new TargetRow("shouhardo3", "people_reached", "2026-Q1", "program", "shouhardo3", 40, 20.0, 0.5), row);
        assertEquals(target("40", "20", "0.5"), TARGETS.values(row));
        assertEquals("0.0001", RowType.text(0.0001));
        assertEquals("nan", RowType.text(RowType.number("nan")));
    }

    @Test
    void aMissingColumnNamesTheViewAndTheColumn() {
        Map<String, String> row = new LinkedHashMap<>(target("40", "20", "0.5"));
        row.remove("achievement");
        ViewMismatch e = assertThrows(ViewMismatch.class, () -> TARGETS.read("dash_targets_vs_actuals", row));
        assertTrue(e.getMessage().startsWith("dash_targets_vs_actuals has no column achievement"), e.getMessage());
    }

    @Test
    void nullIsAnErrorUnlessTheColumnMayBeEmpty() {
        TargetRow withoutActual = TARGETS.read("dash_targets_vs_actuals", target("100", null, null));
        assertNull(withoutActual.actual());
        assertEquals("", TARGETS.values(withoutActual).get("actual"));
        ViewMismatch e = assertThrows(ViewMismatch.class, () -> TARGETS.read("dash_targets_vs_actuals", target(null, "20", "0.2")));
        assertEquals("dash_targets_vs_actuals column target is NULL, and TargetRow never shows it empty", e.getMessage());
        ViewMismatch text = assertThrows(ViewMismatch.class, () -> TARGETS.read("dash_targets_vs_actuals", target("forty", "20", "0.2")));
        assertEquals("dash_targets_vs_actuals column target is not a number: 'forty'", text.getMessage());
    }

    @Test
    void theDashboardShowsALegitimatelyEmptyValueAsADashAndRefusesAMissingOne() {
        DashboardCells.Names names = new DashboardCells.Names(new ReferenceCheck.Choices(List.of(), List.of(), List.of()));
        Column actual = TARGETS.columns().get(6);
        Map<String, String> values = TARGETS.values(new TargetRow("p", "people_reached", "2026", "program", "p", 100, null, null));
        assertEquals("–", DashboardCells.shown(actual, values, names));
        Map<String, String> without = new HashMap<>(values);
        without.remove("actual");
        assertThrows(ViewMismatch.class, () -> DashboardCells.shown(actual, without, names));
    }

    @Test
    void aLagIsSecondsOnThePageAndWrittenOutInTheReport() {
        RowType<FreshnessRow> type = RowType.of(FreshnessRow.class);
        FreshnessRow row = new FreshnessRow("outreach", 3, "2026-04-08 00:00:00", "2026-04-08 00:00:02", 216_000L);
        assertEquals("216000", type.values(row).get("lag"));
        assertEquals("2d 12h 00m 00s", type.printed(row).get("lag"));
        assertEquals("no rows", type.printed(new FreshnessRow("dialogues", 0, null, null, null)).get("lag"));
    }

    private static Map<String, String> target(String target, String actual, String achievement) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("program_id", "shouhardo3");
        row.put("indicator", "people_reached");
        row.put("period", "2026-Q1");
        row.put("dimension", "program");
        row.put("dimension_id", "shouhardo3");
        row.put("target", target);
        row.put("actual", actual);
        row.put("achievement", achievement);
        return row;
    }
}
