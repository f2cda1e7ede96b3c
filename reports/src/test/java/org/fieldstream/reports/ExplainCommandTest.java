package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Requests the explain command refuses before it reads ClickHouse (exit code 2, the reason first). */
class ExplainCommandTest {

    private static final Map<String, String> ENV = Map.of("FIELDSTREAM_CLICKHOUSE_URL", "http://127.0.0.1:1",
            "FIELDSTREAM_CLICKHOUSE_DATABASE", "nowhere");

    @Test
    void anUnknownFigureIsRefusedWithTheFiguresItKnows() {
        assertEquals("explain: unknown figure 'reached': expected one of enrolled, active, completed, dropped_out, transferred, survival,"
                + " people_reached, new_people_reached, attendance, actual",
                refused("--program", "p", "--partner", "x", "--cohort", "c", "reached"));
    }

    @Test
    void theCohortMustBeNamedFully() {
        assertEquals("explain: enrolled takes --program, --partner and --cohort, no --period", refused("--program", "p", "--cohort", "c", "enrolled"));
        assertTrue(refused("--partner", "x", "--cohort", "c", "enrolled").startsWith("explain: missing [--program]"));
    }

    @Test
    void peopleReachedTakesAMonthAndNoCohort() {
        assertEquals("explain: people_reached takes --program, one of --period yyyy-MM, --quarter yyyy-Qn, --year yyyy, --fiscal-year FYyyyy,"
                + " --fiscal-quarter FYyyyy-Qn, --to-date, and optionally one of --partner, --district, --upazila, --sex, --age-band; no --cohort",
                refused("--program", "p", "--partner", "x", "--cohort", "c", "--period", "2026-01", "people_reached"));
        assertTrue(refused("--program", "p", "--period", "2026-1", "people_reached").startsWith("explain: invalid --period"));
    }

    @Test
    void anOutreachCellTakesOnePeriodOnePlaceAndAKnownSexAndAgeBand() {
        assertTrue(refused("--program", "p", "--period", "2026-01", "--year", "2026", "people_reached").contains("one of --period"));
        assertTrue(refused("--program", "p", "--partner", "x", "--district", "d", "--year", "2026", "new_people_reached")
                .contains("optionally one of --partner, --district, --upazila"));
        assertTrue(refused("--program", "p", "--quarter", "2026-Q5", "people_reached").startsWith("explain: invalid --quarter '2026-Q5'"));
        assertTrue(refused("--program", "p", "--fiscal-year", "2026", "people_reached").startsWith("explain: invalid --fiscal-year '2026'"));
        assertTrue(refused("--program", "p", "--fiscal-quarter", "2026-Q1", "people_reached")
                .startsWith("explain: invalid --fiscal-quarter '2026-Q1': expected a fiscal quarter as FYyyyy-Qn"));
        assertTrue(refused("--program", "p", "--fiscal-quarter", "FY2026-Q1", "--year", "2026", "actual", "--indicator", "enrolled")
                .contains("one of --period"));
        assertTrue(refused("--program", "p", "--to-date", "--sex", "woman", "people_reached").startsWith("explain: invalid --sex 'woman'"));
        assertTrue(refused("--program", "p", "--to-date", "--age-band", "old", "people_reached").startsWith("explain: invalid --age-band 'old'"));
    }

    @Test
    void survivalAttendanceAndActualTakeTheirOwnOptions() {
        assertEquals("explain: survival takes --program, --partner, --cohort, --session N and optionally --sex, --age-band",
                refused("--program", "p", "--partner", "x", "--cohort", "c", "survival"));
        assertEquals("explain: attendance takes --program, --partner and --dialogue", refused("--program", "p", "--partner", "x", "attendance"));
        assertTrue(refused("--program", "p", "--year", "2026", "actual").startsWith("explain: actual takes --program, --indicator I, "));
        assertEquals("explain: unknown --indicator 'trained': expected one of completed, dialogues_held, dropped_out, enrolled,"
                + " new_people_reached, people_reached", refused("--program", "p", "--year", "2026", "--indicator", "trained", "actual"));
    }

    @Test
    void idsAreCheckedBeforeTheyReachSql() {
        String hostile = refused("--program", "p", "--partner", "x' OR 1=1 --", "--cohort", "c", "enrolled");
        assertTrue(hostile.startsWith("explain: invalid --partner"), hostile);
        String control = refused("--program", "p", "--partner", "x", "--cohort", "c\u0000", "enrolled");
        assertTrue(control.startsWith("explain: invalid --cohort"), control);
        assertTrue(refused("--program", "p", "--partner", "x", "--dialogue", "d".repeat(129), "attendance").startsWith("explain: invalid --dialogue"));
    }

    @Test
    void helpPrintsTheUsage() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(ReportCommand.OK, ExplainCommand.run(new String[] {"--help"}, ENV, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("--cohort=C"), bytes.toString(StandardCharsets.UTF_8));
    }

    private static String refused(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = ExplainCommand.run(args, ENV, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(ReportCommand.REFUSED, code);
        return bytes.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
    }
}
