package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fieldstream.reports.DashboardCells.Names;
import org.junit.jupiter.api.Test;

/** The explanation page without ClickHouse: its query string, its rendering and escaping, its CSV, and fiscal quarters. */
class ExplainPageTest {

    private static final String HOSTILE = "<script>alert('x')</script>&\"";
    private static final Names NAMES = new Names(new ReferenceCheck.Choices(
            List.of(new ReferenceCheck.Choice("shouhardo3", "SHOUHARDO III", "shouhardo3")),
            List.of(new ReferenceCheck.Choice("ndp", HOSTILE, "shouhardo3")), List.of()));

    @Test
    void readsTheCommandsOptionsFromTheQueryString() {
        ExplainCommand.Options cohort = ExplainPage.parse("program=shouhardo3&partner=ndp&cohort=c1&figure=dropped_out").options();
        assertEquals(List.of("dropped_out", "shouhardo3", "ndp", "c1"), List.of(cohort.figure, cohort.program, cohort.partner, cohort.cohort));
        ExplainCommand.Options cell = ExplainPage.parse("program=shouhardo3&district=bd-sirajganj&fiscal-quarter=FY2026-Q1&sex=female"
                + "&age-band=youth_15_29&figure=new_people_reached").options();
        assertEquals(List.of("bd-sirajganj", "FY2026-Q1", "female", "youth_15_29"), List.of(cell.district, cell.fiscalQuarter, cell.sex, cell.ageBand));
        assertTrue(ExplainPage.parse("program=p&to-date=1&indicator=enrolled&figure=actual").options().toDate);
        assertEquals(3, ExplainPage.parse("program=p&partner=x&cohort=c&session=3&figure=survival").options().session);
    }

    @Test
    void refusesWhatTheCommandRefusesInThePagesWords() {
        assertEquals("an explanation needs figure: one of " + ExplainCommand.FIGURES, refused("program=p&partner=x&cohort=c"));
        assertEquals("enrolled takes program, partner and cohort, no period", refused("program=p&cohort=c&figure=enrolled"));
        assertTrue(refused("program=p&partner=x%27%20OR%201%3D1&cohort=c&figure=enrolled").startsWith("invalid partner"));
        assertTrue(refused("program=p&partner=x&cohort=c%0A1&figure=enrolled").startsWith("invalid cohort"));
        assertEquals("Batch 2/2026 (A)", ExplainPage.parse("program=p&partner=x&cohort=Batch+2%2F2026+%28A%29&figure=enrolled").options().cohort);
        assertTrue(refused("program=p&fiscal-quarter=FY2026-Q5&figure=people_reached").startsWith("invalid fiscal-quarter 'FY2026-Q5'"));
        assertEquals("to-date takes 1, not 'yes'", refused("program=p&to-date=yes&figure=people_reached"));
        assertEquals("session must be a held session's number, not 'x'", refused("program=p&partner=x&cohort=c&session=x&figure=survival"));
        assertTrue(refused("program=p&figure=enrolled&order=1").startsWith("unknown parameter 'order'"));
        assertEquals("parameter figure given twice", refused("program=p&figure=enrolled&figure=active"));
    }

    @Test
    void aFiscalQuarterIsTheCalendarQuarterOfItsMonthsAndItsOwnActualPeriod() {
        ExplainPeriod october = ExplainPeriod.fiscalQuarter(2026, 1, 10);
        assertEquals(List.of("quarter", "2025-Q4", "FY2026-Q1"), List.of(october.outreachKind(), october.outreachName(), october.actualName()));
        assertEquals(List.of(YearMonth.of(2025, 10), YearMonth.of(2025, 12)), List.of(october.from(), october.to()));
        assertEquals("2026-Q1", ExplainPeriod.fiscalQuarter(2026, 1, 1).outreachName());
        assertEquals("2026-Q1", ExplainPeriod.fiscalQuarter(2026, 4, 4).outreachName());
        ExplainPeriod july = ExplainPeriod.fiscalQuarter(2026, 2, 7);
        assertEquals(List.of("2025-Q4", "FY2026-Q2"), List.of(july.outreachName(), july.actualName()));
        assertEquals("day >= toDate('2025-10-01') AND day <= toDate('2025-12-31')", july.dayCondition("day"));
        assertThrows(ReportError.class, () -> ExplainPeriod.fiscalQuarterOf("FY2026"));
    }

    @Test
    void showsTheFigureThenEachPersonsRecordsEscaped() {
        ExplainPage.Request request = ExplainPage.parse("program=shouhardo3&partner=ndp&cohort=c1&figure=dropped_out");
        CohortExplanation.Result result = new CohortExplanation.Result("dropped_out", 2, List.of(
                person("p-" + HOSTILE, 2), person("p-2", 1)));
        String html = ExplainPage.render(request, result, NAMES, null);

        assertTrue(html.contains("<h1 data-figure=\"dropped_out\" data-value=\"2\">dropped_out = 2</h1>"), html);
        assertTrue(html.contains("program SHOUHARDO III · partner &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot; · cohort c1"), html);
        assertFalse(html.contains("<script"), "unescaped text in the page");
        assertFalse(html.contains("http-equiv=\"refresh\""), "an explanation does not reload itself");
        assertEquals(List.of("p-" + HOSTILE, "p-2"), attributes(html, "data-person"));
        assertEquals(3, attributes(html, "data-event-id").size(), "one row per record");
        assertTrue(html.contains("<td rowspan=\"2\">p-&lt;script&gt;"), "the person's cells span their records");
        assertTrue(html.contains("<td data-event-id=\"e-0\" data-source=\"csv\" data-revision=\"1\" data-state=\"current\">e-0</td>"), html);
        assertTrue(html.contains("<td>=HYPERLINK(&quot;x&quot;) line 1</td>"), "source_ref escaped");
        assertTrue(html.contains("data-persons=\"2\" data-shown=\"2\""));
        assertTrue(html.contains("href=\"/explain.csv?program=shouhardo3&amp;partner=ndp&amp;cohort=c1&amp;figure=dropped_out\" download"), html);
        assertTrue(html.contains("<a href=\"/cohort?program=shouhardo3&amp;partner=ndp&amp;cohort=c1\">Cohort c1</a>"));
        assertFalse(html.contains("data-mismatch"), "the persons add up to the figure");
        for (String external : List.of("src=", "@import", "url(", "<link", "<iframe", "<img")) {
            assertFalse(html.contains(external), external);
        }
    }

    @Test
    void showsTheFirstHundredPersonsOfManyAndSaysWhenTheyDoNotAddUp() {
        List<CohortExplanation.Person> persons = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            persons.add(person(String.format("p%03d", i), 1));
        }
        ExplainPage.Request request = ExplainPage.parse("program=shouhardo3&to-date=1&figure=people_reached");
        String html = ExplainPage.render(request, new CohortExplanation.Result("people_reached", 251, persons), NAMES, null);
        assertEquals(ExplainPage.PERSONS, attributes(html, "data-person").size());
        assertEquals("p099", attributes(html, "data-person").get(ExplainPage.PERSONS - 1));
        assertTrue(html.contains("data-persons=\"250\" data-shown=\"100\">Persons 1–100 of 250 (the CSV has every one)"), html);
        assertTrue(html.contains("data-mismatch=\"true\">250 listed, but people_reached = 251 in v_outreach"), html);
        assertTrue(html.contains("all 250 persons as CSV"));
    }

    @Test
    void theCsvListsEveryRecordOfEveryPersonFormulaSafe() {
        CohortExplanation.Result result = new CohortExplanation.Result("dialogues_held", 3, List.of(person("=cmd", 2), person("p-2", 1),
                new CohortExplanation.Person("dialogue:d1", "held partner=ndp held_on=2026-01-05", List.of())));
        String csv = ExplainPage.csv(result);
        assertTrue(csv.startsWith(CsvTable.BOM + "person_id,status,event_id,event_type,record_date,received_at,source,source_ref,revision,record_state\r\n"),
                csv);
        List<String> lines = csv.lines().toList();
        assertEquals(5, lines.size(), "a header, three records and a dialogue without records: " + csv);
        assertEquals("'=cmd,dropped_out,e-0,participant_exited,2026-01-05,2026-01-06T10:00:00Z,csv,\"'=HYPERLINK(\"\"x\"\") line 1\",1,superseded",
                lines.get(1));
        assertEquals("dialogue:d1,held partner=ndp held_on=2026-01-05,,,,,,,,", lines.get(4));
    }

    private static CohortExplanation.Person person(String id, int records) {
        List<CohortExplanation.Source> sources = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            sources.add(new CohortExplanation.Source("e-" + i, "participant_exited", "2026-01-05", "2026-01-06T10:00:00Z", "csv",
                    "=HYPERLINK(\"x\") line " + (i + 1), i + 1, i + 1 == records ? "current" : "superseded"));
        }
        return new CohortExplanation.Person(id, "dropped_out", List.copyOf(sources));
    }

    private static String refused(String query) {
        return assertThrows(ReportError.class, () -> ExplainPage.parse(query)).getMessage();
    }

    private static List<String> attributes(String html, String name) {
        List<String> values = new ArrayList<>();
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(html);
        while (m.find()) {
            values.add(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'").replace("&quot;", "\"").replace("&amp;", "&"));
        }
        return values;
    }
}
