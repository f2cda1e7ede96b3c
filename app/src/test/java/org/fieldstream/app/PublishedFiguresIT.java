package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.awaitility.Awaitility;
import org.fieldstream.app.browser.PrintedReport;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.platform.TestServices;
import org.fieldstream.producers.Ingest;
import org.fieldstream.producers.IngestSession;
import org.fieldstream.producers.ProducerSettings;
import org.fieldstream.producers.ProgramSecrets;
import org.fieldstream.producers.Progress;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.reports.Attacker;
import org.fieldstream.reports.SmallCells;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Published figures through the whole pipeline (real Kafka and ClickHouse): a program built to have
 * cells of 1 to 4 people (partners' cohorts of 12, 3 and 7 persons in the first quarter and one of 2
 * in the second, by sex and age band) ingested from partners' files; {@code report
 * retention|outreach|iptt --publish} hides every count of 1 to 4 as {@code <5}, says so once, and no
 * hidden count can be recovered from the published tables (total minus shown, every combination of
 * the sums, the lower bound); without {@code --publish} the same reports are exact.
 */
class PublishedFiguresIT {

    /** The first of January last year: every cohort lies in its fiscal year (the calendar year). */
    private static final LocalDate START = LocalDate.now().minusYears(1).withDayOfYear(1);
    private static final List<String> PEOPLE = List.of("enrolled", "active", "completed", "dropped_out", "transferred");

    @TempDir
    Path work;

    @Test
    void publishedReportsHideSmallCellsUnrecoverablyAndExactReportsStayExact() throws Exception {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String db = "it_publish_" + run;
        Map<String, String> settings = new HashMap<>(Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", TestServices.kafka().bootstrapServers(),
                "FIELDSTREAM_TOPIC_PREFIX", "it-" + run + ".",
                "FIELDSTREAM_CLICKHOUSE_URL", TestServices.clickHouse().httpUrl(),
                "FIELDSTREAM_CLICKHOUSE_DATABASE", db,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", "it-publish-" + run,
                "FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("state").toString(),
                "FIELDSTREAM_SINK_GROUP_ID", "it-sink-" + run));
        settings.put(ProgramSecrets.variableFor("tiny"), "published-figures-it-secret-01");
        Map<String, String> env = Map.of("FIELDSTREAM_CLICKHOUSE_URL", TestServices.clickHouse().httpUrl(),
                "FIELDSTREAM_CLICKHOUSE_DATABASE", db);
        try (Pipeline pipeline = Pipeline.start(settings, new ReferenceData(List.of(), List.of(), List.of(), List.of()));
             ClickHouseGateway clickHouse = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "")) {
            land(work, pipeline.config(), clickHouse, db, env);

            // exact without --publish
            PrintedReport exact = PrintedReport.run(env, List.of("retention", "--program", "tiny", "--full"));
            Map<String, Map<String, String>> cohorts = byKey(exact.section("Retention per cohort"), "partner_id");
            assertEquals("3", cohorts.get("p-small").get("enrolled"));
            assertEquals("2", cohorts.get("p-small").get("completed"));
            assertEquals("1", cohorts.get("p-small").get("active"));
            assertEquals("7", cohorts.get("p-mid").get("enrolled"));
            assertEquals("4", cohorts.get("p-mid").get("completed"));
            assertFalse(exact.text().contains("<5"), exact.text());

            PrintedReport published = PrintedReport.run(env, List.of("retention", "--program", "tiny", "--publish"));
            System.out.println(published.text());
            assertEquals(1, published.text().lines().filter(l -> l.startsWith("Published figures:")).count(), "said once");
            assertHiddenExactlyWhereSmall(exact, published, List.of("Retention per cohort", "Retention by partner and district",
                    "Retention of all cohorts shown"), PEOPLE);
            Map<String, Map<String, String>> shown = byKey(published.section("Retention per cohort"), "partner_id");
            assertEquals("<5", shown.get("p-small").get("enrolled"));
            assertEquals("hidden", shown.get("p-small").get("retention_rate"), "a rate of hidden counts is hidden");
            assertEquals("12", shown.get("p-big").get("enrolled"), "large counts stay exact");
            assertEquals(List.of(), Attacker.recovered(retention(exact::section, published::section)), published.text());
            for (Map<String, String> point : published.section("Survival curve points")) {
                if (!point.get("partner_id").equals("p-big")) {
                    assertEquals(List.of("<5", "hidden"), List.of(point.get("surviving"), point.get("survival_rate")),
                            "the curve of a cohort with hidden counts is hidden: " + point);
                }
            }

            PrintedReport exactReach = PrintedReport.run(env, List.of("outreach", "--program", "tiny"));
            PrintedReport publishedReach = PrintedReport.run(env, List.of("outreach", "--program", "tiny", "--publish"));
            System.out.println(publishedReach.text());
            assertHiddenExactlyWhereSmall(exactReach, publishedReach, List.of("People reached per month",
                    "People reached per month by sex and age band", "People reached per quarter by sex and age band"),
                    List.of("people_reached", "new_people_reached"));
            assertTrue(exactReach.section("People reached per month by sex and age band").stream()
                    .anyMatch(r -> r.get("people_reached").matches("[1-4]")), "the program has small sex x age band cells");
            assertTrue(publishedReach.section("People reached per month by sex and age band").stream()
                    .anyMatch(r -> r.get("people_reached").equals("<5")));
            assertEquals(List.of(), Attacker.recovered(outreach(exactReach::section, publishedReach::section, "People reached per month",
                    "People reached per month by sex and age band")), publishedReach.text());
            assertEquals(List.of(), Attacker.recovered(outreach(exactReach::section, publishedReach::section, "People reached per quarter",
                    "People reached per quarter by sex and age band")), publishedReach.text());

            // the IPTT: the second quarter's 2 enrolled and 2 reached are hidden, and with them another quarter of the year
            String fy = "FY" + START.getYear();
            Path csv = work.resolve("iptt.csv");
            PrintedReport exactIptt = PrintedReport.run(env, List.of("iptt", "--program", "tiny", "--fiscal-year", fy));
            List<Map<String, String>> exactIpttRows = exactIptt.section("== Indicator Performance Tracking Table (program tiny, " + fy + ")");
            Map<String, Map<String, String>> exactRows = byKey(indicatorRows(exactIpttRows), "indicator");
            assertEquals(List.of("24", "22", "2"), List.of(exactRows.get("enrolled").get("fy_actual"), exactRows.get("enrolled").get("q1_actual"),
                    exactRows.get("enrolled").get("q2_actual")));
            PrintedReport publishedIptt = PrintedReport.run(env, List.of("iptt", "--program", "tiny", "--fiscal-year", fy, "--publish",
                    "--csv", csv.toString()));
            System.out.println(publishedIptt.text());
            List<Map<String, String>> publishedIpttRows = publishedIptt.section("== Indicator Performance Tracking Table (program tiny, "
                    + fy + ")");
            Map<String, Map<String, String>> iptt = byKey(indicatorRows(publishedIpttRows), "indicator");
            // rows by sex and age band: every count of 1 to 4 people is hidden, every shown one exact
            assertTrue(publishedIpttRows.size() >= exactIpttRows.size(), "every row is published (the note may follow)");
            int smallParts = 0;
            for (int i = 0; i < exactIpttRows.size(); i++) {
                Map<String, String> e = exactIpttRows.get(i);
                assertEquals(List.of(e.get("indicator"), e.get("category")), List.of(publishedIpttRows.get(i).get("indicator"),
                        publishedIpttRows.get(i).get("category")), "row " + i);
                if (e.get("disaggregation").isEmpty() || e.get("fy_actual").isEmpty() || e.get("fy_actual").endsWith("%")
                        || e.get("indicator").equals("dialogues_held")) {
                    continue;
                }
                for (String column : List.of("lop_actual", "fy_actual", "q1_actual", "q2_actual", "q3_actual", "q4_actual")) {
                    long count = Long.parseLong(e.get(column));
                    String partShown = publishedIpttRows.get(i).get(column);
                    if (count > 0 && count < 5) {
                        smallParts++;
                        assertEquals("<5", partShown, e.get("indicator") + " " + e.get("category") + " " + column);
                    } else if (!partShown.equals("<5")) {
                        assertEquals(Long.toString(count), partShown, e.get("indicator") + " " + e.get("category") + " " + column);
                    }
                }
            }
            assertTrue(smallParts > 0, "the IPTT had small rows by sex or age band");
            assertEquals(List.of("24", "<5", "<5", "0", "0"), List.of("fy_actual", "q1_actual", "q2_actual", "q3_actual", "q4_actual").stream()
                    .map(c -> iptt.get("enrolled").get(c)).toList(), "22 of the first quarter would give the second's 2");
            assertEquals("<5", iptt.get("people_reached").get("q2_actual"));
            String written = Files.readString(csv, StandardCharsets.UTF_8);
            assertTrue(written.contains("enrolled,,,,30,24,,24,,<5,<5,0,0,,"), written);
            assertTrue(written.endsWith("\r\n\"" + SmallCells.note(5) + "\"\r\n"), "the CSV's last line says why: " + written);
        }
    }

    /**
     * Lands program tiny (partners' cohorts of 12, 3, 7 and 2 persons by sex and age band) through the
     * pipeline of {@code config} and waits until its retention, outreach and IPTT figures have settled.
     */
    static void land(Path work, Map<String, String> config, ClickHouseGateway clickHouse, String db, Map<String, String> env)
            throws Exception {
        ProducerSettings producer = ProducerSettings.load(null, config);
        assertEquals(0, ReferenceCommand.load(writeReference(work.resolve("reference")), producer,
                new PrintStream(new ByteArrayOutputStream()), System.err));
        // persons: sex, age, present at both sessions (completed) or at neither (active)
        ingest(work, config, "p-big", "n-one", List.of("f,19,y", "f,22,y", "f,25,y", "f,27,y", "f,21,y", "f,35,n",
                "m,18,y", "m,20,y", "m,23,y", "m,26,y", "m,28,y", "m,40,n"));
        ingest(work, config, "p-small", "n-one", List.of("f,19,y", "m,24,y", "f,33,n"));
        ingest(work, config, "p-mid", "n-two", List.of("f,19,y", "f,24,y", "f,31,y", "f,17,n", "m,20,y", "m,22,n", "m,50,n"));
        ingest(work, config, "p-late", "n-two", List.of("f,26,y", "m,29,y"));
        String landed = "SELECT count() FROM " + db + ".v_cohort_retention WHERE program_id = 'tiny' AND sex = 'all'"
                + " AND age_band = 'all' AND completed > 0";
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> clickHouse.queryValue(landed), "4"::equals);
        String reached = "SELECT sum(people_reached) FROM " + db + ".outreach_monthly WHERE program_id = 'tiny'"
                + " AND dimension = 'program' AND sex = 'all' AND age_band = 'all'";
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> clickHouse.queryValue(reached), "18"::equals);
        // every outreach cell of the program (to date, years, fiscal years, quarters, months) has landed
        // with its sex x age band groups: each period's groups add up to its total
        String groupsShort = "SELECT count() FROM (SELECT period_kind, period FROM " + db + ".v_outreach WHERE program_id = 'tiny'"
                + " AND dimension = 'program' GROUP BY period_kind, period"
                + " HAVING sumIf(people_reached, sex != 'all' AND age_band != 'all') != sumIf(people_reached, sex = 'all' AND age_band = 'all')"
                + " OR sumIf(new_people_reached, sex != 'all' AND age_band != 'all') != sumIf(new_people_reached, sex = 'all' AND age_band = 'all'))";
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> clickHouse.queryValue(groupsShort), "0"::equals);
        settled(env, fiscalYear(START));
    }

    /** Every count of 1 to 4 people is hidden; every shown count equals the exact one. */
    private static void assertHiddenExactlyWhereSmall(PrintedReport exact, PrintedReport published, List<String> sections,
                                                      List<String> columns) {
        int small = 0;
        for (String section : sections) {
            List<Map<String, String>> e = exact.section(section);
            List<Map<String, String>> p = published.section(section);
            assertEquals(e.size(), p.size(), section);
            for (int i = 0; i < e.size(); i++) {
                for (String column : columns) {
                    long count = Long.parseLong(e.get(i).get(column));
                    String shown = p.get(i).get(column);
                    if (count > 0 && count < 5) {
                        small++;
                        assertEquals("<5", shown, section + " row " + i + " " + column);
                    } else if (!shown.equals("<5")) {
                        assertEquals(Long.toString(count), shown, section + " row " + i + " " + column);
                    }
                }
            }
        }
        assertTrue(small > 0, "the reports had small cells");
    }

    /**
     * The retention tables as a reader sees their sums: a row's enrolled is its active + completed +
     * dropped out; each count of a partner and district row is the sum of its cohorts' and the row of
     * all cohorts the sum of those rows.
     */
    static SmallCells.Published retention(Function<String, List<Map<String, String>>> exact,
                                          Function<String, List<Map<String, String>>> published) {
        Table t = new Table();
        List<List<Integer>> cohorts = t.rows(exact.apply("Retention per cohort"), published.apply("Retention per cohort"));
        List<List<Integer>> groups = t.rows(exact.apply("Retention by partner and district"),
                published.apply("Retention by partner and district"));
        List<List<Integer>> all = t.rows(exact.apply("Retention of all cohorts shown"), published.apply("Retention of all cohorts shown"));
        List<Map<String, String>> cohortRows = exact.apply("Retention per cohort");
        List<Map<String, String>> groupRows = exact.apply("Retention by partner and district");
        for (List<List<Integer>> rows : List.of(cohorts, groups, all)) {
            rows.forEach(row -> t.sums.add(new SmallCells.Sum(row.get(0), List.of(row.get(1), row.get(2), row.get(3)))));
        }
        for (int g = 0; g < groups.size(); g++) {
            for (int c = 0; c < PEOPLE.size(); c++) {
                List<Integer> parts = new ArrayList<>();
                for (int i = 0; i < cohorts.size(); i++) {
                    if (cohortRows.get(i).get("partner_id").equals(groupRows.get(g).get("partner_id"))
                            && cohortRows.get(i).get("district_id").equals(groupRows.get(g).get("district_id"))) {
                        parts.add(cohorts.get(i).get(c));
                    }
                }
                t.sums.add(new SmallCells.Sum(groups.get(g).get(c), parts));
            }
        }
        for (int c = 0; c < PEOPLE.size(); c++) {
            int column = c;
            t.sums.add(new SmallCells.Sum(all.get(0).get(c), groups.stream().map(r -> r.get(column)).toList()));
        }
        return t.published();
    }

    /** A period's sex x age band cells add up to its total, for people reached and newly reached. */
    static SmallCells.Published outreach(Function<String, List<Map<String, String>>> exact,
                                         Function<String, List<Map<String, String>>> published, String totals, String groups) {
        Table t = new Table();
        List<String> columns = List.of("people_reached", "new_people_reached");
        List<Map<String, String>> totalRows = exact.apply(totals);
        List<Map<String, String>> groupRows = exact.apply(groups);
        List<List<Integer>> totalCells = t.rows(totalRows, published.apply(totals), columns);
        List<List<Integer>> groupCells = t.rows(groupRows, published.apply(groups), columns);
        for (int i = 0; i < totalRows.size(); i++) {
            for (int c = 0; c < columns.size(); c++) {
                List<Integer> parts = new ArrayList<>();
                for (int g = 0; g < groupRows.size(); g++) {
                    if (groupRows.get(g).get("dimension_id").equals(totalRows.get(i).get("dimension_id"))
                            && groupRows.get(g).get("period").equals(totalRows.get(i).get("period"))) {
                        parts.add(groupCells.get(g).get(c));
                    }
                }
                t.sums.add(new SmallCells.Sum(totalCells.get(i).get(c), parts));
            }
        }
        return t.published();
    }

    /** Cells read from the exact and the published report, and their sums. */
    private static final class Table {
        final List<Long> counts = new ArrayList<>();
        final List<Boolean> hidden = new ArrayList<>();
        final List<SmallCells.Sum> sums = new ArrayList<>();

        List<List<Integer>> rows(List<Map<String, String>> exact, List<Map<String, String>> published) {
            return rows(exact, published, PEOPLE);
        }

        List<List<Integer>> rows(List<Map<String, String>> exact, List<Map<String, String>> published, List<String> columns) {
            List<List<Integer>> out = new ArrayList<>();
            for (int i = 0; i < exact.size(); i++) {
                List<Integer> ids = new ArrayList<>();
                for (String column : columns) {
                    counts.add(Long.parseLong(exact.get(i).get(column)));
                    hidden.add(published.get(i).get(column).equals("<5"));
                    ids.add(counts.size() - 1);
                }
                out.add(ids);
            }
            return out;
        }

        SmallCells.Published published() {
            long[] c = counts.stream().mapToLong(Long::longValue).toArray();
            boolean[] h = new boolean[hidden.size()];
            for (int i = 0; i < h.length; i++) {
                h[i] = hidden.get(i);
            }
            return new SmallCells.Published(c, h, sums, 5);
        }
    }

    private static String fiscalYear(LocalDate day) {
        return "FY" + day.getYear();
    }

    /**
     * Waits until the exact IPTT reads the same twice, two seconds apart: the streams flush the
     * outreach cells of a period, its groups and its totals in more than one commit, and the reports
     * below compare runs made one after the other.
     */
    private static void settled(Map<String, String> env, String fy) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String before = PrintedReport.run(env, List.of("iptt", "--program", "tiny", "--fiscal-year", fy)).text();
        while (true) {
            Thread.sleep(2000);
            String now = PrintedReport.run(env, List.of("iptt", "--program", "tiny", "--fiscal-year", fy)).text();
            if (now.equals(before)) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the IPTT's figures did not settle within 120 s");
            before = now;
        }
    }

    /** An IPTT's indicator rows, without their rows by sex, age band or kind. */
    private static List<Map<String, String>> indicatorRows(List<Map<String, String>> rows) {
        return rows.stream().filter(r -> r.get("disaggregation").isEmpty()).toList();
    }

    private static Map<String, Map<String, String>> byKey(List<Map<String, String>> rows, String key) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        rows.forEach(r -> out.put(r.get(key), r));
        return out;
    }

    static Path writeReference(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("programs.csv"), "program_id,name,start_date,end_date,dropout_missed_sessions,completion_attendance,"
                + "small_cell_threshold\ntiny,Tiny program," + START + ",,3,0.5,5\n");
        Files.writeString(dir.resolve("partners.csv"), "partner_id,program_id,name,org_unit_id\n"
                + "p-big,tiny,Big,n-one\np-small,tiny,Small,n-one\np-mid,tiny,Mid,n-two\np-late,tiny,Late,n-two\n");
        Files.writeString(dir.resolve("org_units.csv"), "org_unit_id,name,name_bn,level,parent_id,division_id,district_id,upazila_id,union_id\n"
                + "d-one,North,,division,,,,,\nz-one,Riverside,,district,d-one,,,,\nz-two,Hills,,district,d-one,,,,\n"
                + "u-one,Ferry Ghat,,upazila,z-one,,,,\nu-two,High Ridge,,upazila,z-two,,,,\n"
                + "n-one,East Char,,union,u-one,,,,\nn-two,Tea Garden,,union,u-two,,,,\n");
        Files.writeString(dir.resolve("targets.csv"), "program_id,indicator,period,dimension,dimension_id,target\n"
                + "tiny,enrolled,all,program,tiny,30\n");
        return dir;
    }

    /**
     * One cohort of the partner in the program's second month (p-late: its fifth, the second quarter): two sessions;
     * "sex,age,y" is present at both, "n" at neither.
     */
    private static void ingest(Path work, Map<String, String> config, String partner, String unit, List<String> persons) throws Exception {
        LocalDate day = START.plusMonths(partner.equals("p-late") ? 4 : 1).plusDays(2);
        String cohort = partner + "-c1";
        Path dir = Files.createDirectories(work.resolve(partner));
        StringBuilder enrolments = new StringBuilder("cohort_id,person_key,sex,enrolled_on,age\n");
        StringBuilder attendance = new StringBuilder("cohort_id,session_number,person_key,status\n");
        for (int i = 0; i < persons.size(); i++) {
            String[] p = persons.get(i).split(",");
            String key = partner + "-" + i;
            enrolments.append(cohort).append(',').append(key).append(',').append(p[0].equals("f") ? "female" : "male").append(',')
                    .append(day).append(',').append(p[1]).append('\n');
            for (int session = 1; session <= 2; session++) {
                attendance.append(cohort).append(',').append(session).append(',').append(key).append(',')
                        .append(p[2].equals("y") ? "present" : "absent").append('\n');
            }
        }
        Files.writeString(dir.resolve("cohorts.csv"), "cohort_id,topic,planned_sessions,start_date,org_unit_id\n"
                + cohort + ",Kitchen gardens,2," + day + "," + unit + "\n");
        Files.writeString(dir.resolve("enrolments.csv"), enrolments.toString());
        Files.writeString(dir.resolve("sessions.csv"), "cohort_id,session_number,held_on\n"
                + cohort + ",1," + day.plusDays(1) + "\n" + cohort + ",2," + day.plusDays(8) + "\n");
        Files.writeString(dir.resolve("attendance.csv"), attendance.toString());
        try (IngestSession session = IngestSession.open(null, config)) {
            for (Ingest.Result result : session.ingest("tiny", partner, dir,
                    List.of("cohorts.csv", "enrolments.csv", "sessions.csv", "attendance.csv"), Progress.silent())) {
                assertEquals(0, result.rejected(), result.name() + ": " + result.firstRejections());
            }
        }
    }
}
