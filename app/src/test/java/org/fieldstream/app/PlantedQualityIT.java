package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.fieldstream.app.browser.DashboardDom;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.platform.TestServices;
import org.fieldstream.producers.Ingest;
import org.fieldstream.producers.IngestSession;
import org.fieldstream.producers.Progress;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.reports.DashboardServer;
import org.fieldstream.reports.DashboardSettings;
import org.fieldstream.reports.ReportCommand;
import org.fieldstream.seeds.DeliveryPlan;
import org.fieldstream.seeds.QualityExpectation;
import org.fieldstream.seeds.ScenarioGenerator;
import org.fieldstream.seeds.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-quality scorecard of a generated program equals the generator's own expectation, per
 * program, partner and month, on the real broker and ClickHouse: the demo program's files are
 * ingested one delivery at a time with the ingest clock fixed at the delivery planned for them
 * ({@code delivery.csv}), the planted malformed rows travel through the rejected topic and the sink
 * into {@code rejected_rows}, and then every column of {@code dq_partner_month} and
 * {@code dq_scorecard}, the scorecard of {@code report quality} and the cells of the dashboard's
 * {@code /quality} page are compared with {@link QualityExpectation}.
 */
class PlantedQualityIT {

    @TempDir
    Path work;

    @Test
    void theScorecardOfAGeneratedProgramIsTheGeneratorsExpectation() throws Exception {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String database = "it_dq_planted_" + run;
        Map<String, String> settings = Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", TestServices.kafka().bootstrapServers(),
                "FIELDSTREAM_TOPIC_PREFIX", "it-" + run + ".",
                "FIELDSTREAM_CLICKHOUSE_URL", TestServices.clickHouse().httpUrl(),
                "FIELDSTREAM_CLICKHOUSE_DATABASE", database,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", "it-dq-planted-" + run,
                "FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("state").toString(),
                "FIELDSTREAM_SINK_GROUP_ID", "it-sink-" + run);
        ReferenceData reference = ReferenceData.bundled();
        Path input = work.resolve("input");
        ScenarioGenerator.Result scenario = new ScenarioGenerator(reference, 42L, Size.DEMO).generate(input);
        assertEquals(scenario.deliveries(), DeliveryPlan.read(input.resolve("delivery.csv")));

        try (Pipeline pipeline = Pipeline.start(settings, reference);
             ClickHouseGateway clickHouse = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "")) {
            long rejected = 0;
            try (IngestSession session = IngestSession.open(null, pipeline.config())) {
                for (DeliveryPlan.Delivery delivery : scenario.deliveries()) {
                    String partner = delivery.file().split("/")[0];
                    String program = reference.partner(partner).orElseThrow().getProgramId();
                    Clock clock = Clock.fixed(delivery.instant(), ZoneOffset.UTC);
                    for (Ingest.Result result : session.ingest(program, partner, input, List.of(delivery.file()), Progress.silent(), clock)) {
                        rejected += result.rejected();
                    }
                }
            }
            long planted = scenario.deliveries().stream()
                    .mapToLong(d -> scenario.rejected().stream().filter(r -> r.file().equals(d.file())).count()).sum();
            assertEquals(planted, rejected, "the planted malformed rows, once per delivery of their file");

            LocalDate today = LocalDate.now(DeliveryPlan.ZONE);
            QualityExpectation expected = scenario.quality(reference, today);
            long events = expected.scorecard().values().stream().mapToLong(r -> (Long) r.get("rows_received")).sum();
            long copies = expected.eventCopies();
            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    clickHouse.queryValue("SELECT count() FROM " + database + ".event_copies FINAL").equals(Long.toString(copies))
                            && clickHouse.queryValue("SELECT count() FROM " + database + ".rejected_rows FINAL").equals(Long.toString(planted))
                            && clickHouse.queryValue("SELECT uniqExact(event_id) FROM " + database + ".field_events").equals(Long.toString(events)));

            assertEquals(rows(expected.partnerMonth(), QualityExpectation.PARTNER_MONTH),
                    rows(clickHouse.query(select(database, "dq_partner_month", QualityExpectation.PARTNER_MONTH)), QualityExpectation.PARTNER_MONTH),
                    "dq_partner_month");
            assertEquals(rows(expected.scorecard(), QualityExpectation.SCORECARD),
                    rows(clickHouse.query(select(database, "dq_scorecard", QualityExpectation.SCORECARD)), QualityExpectation.SCORECARD),
                    "dq_scorecard");
            // rows rejected by reason: the producers' codes of the planted malformed rows, through the rejected topic
            Map<String, Long> byReason = new TreeMap<>();
            clickHouse.query("SELECT program_id, partner_id, toString(month) AS month, source, field, reason_code, rows_rejected FROM "
                    + database + ".dq_rejected_rows").forEach(r -> byReason.put(String.join("|", r.get("program_id"), r.get("partner_id"),
                    r.get("month"), r.get("source"), r.get("field"), r.get("reason_code")), Long.parseLong(r.get("rows_rejected"))));
            assertEquals(new TreeMap<>(expected.rejectedByReason()), byReason, "dq_rejected_rows");
            // each measured kind is planted somewhere in the program
            for (String measure : List.of("late_edits", "rows_rejected", "records_sent_more_than_once", "cohorts_open_after_end",
                    "attendance_waiting", "outlier_sessions")) {
                assertTrue(expected.scorecard().values().stream().anyMatch(r -> (Long) r.get(measure) > 0), measure + " planted");
            }
            for (String measure : List.of("corrections", "retractions", "held_sessions_without_attendance", "enrolments_unknown_sex_or_age",
                    "records_outside_cohort_dates", "sessions_more_present_than_enrolled")) {
                assertTrue(expected.partnerMonth().values().stream().anyMatch(r -> (Long) r.get(measure) > 0), measure + " planted");
            }
            assertTrue(expected.scorecard().values().stream().anyMatch(r -> (Long) r.get("records") > 0 && (Double) r.get("on_time_share") < 0.8),
                    "late records planted");
            assertTrue(expected.scorecard().values().stream().anyMatch(r -> "outside".equals(r.get("status"))), "a month outside");
            assertTrue(expected.scorecard().values().stream().anyMatch(r -> "within".equals(r.get("status"))), "a month within");

            // report quality prints the scorecard with the same figures
            List<String> printed = printedScorecard(pipeline.config());
            List<String> shown = new ArrayList<>();
            for (Map<String, Object> r : expected.scorecard().values()) {
                shown.add(String.join(" ", String.valueOf(r.get("program_id")), String.valueOf(r.get("partner_id")),
                        ((String) r.get("month")).substring(0, 7), String.valueOf(r.get("status")), String.valueOf(r.get("outside_measures")),
                        String.valueOf(r.get("rows_received")), String.valueOf(r.get("rows_rejected")),
                        String.valueOf(r.get("records_sent_more_than_once")), String.valueOf(r.get("late_edits")),
                        String.valueOf(r.get("attendance_waiting")), String.valueOf(r.get("cohorts_open_after_end")),
                        String.valueOf(r.get("outlier_sessions"))).replaceAll(" +", " "));
            }
            assertEquals(shown, printed, "report quality's scorecard");

            // the dashboard's /quality page shows the same cells (shares to four decimals, as it shows them)
            DashboardSettings dashboardSettings = DashboardSettings.load(pipeline.config())
                    .with(DashboardSettings.Login.OPEN, Integer.parseInt(SettingKeys.DASHBOARD_REFRESH_SECONDS.defaultValue()), 1800, 43200);
            try (DashboardServer dashboard = DashboardServer.start(dashboardSettings, 0)) {
                HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(dashboard.url().resolve(URI.create("/quality")))
                        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, page.statusCode(), page.body());
                List<Map<String, String>> cells = DashboardDom.parse(page.body()).values("quality-scorecard");
                assertEquals(expected.scorecard().size(), cells.size(), "one row per partner month");
                List<String> pageRows = new ArrayList<>();
                for (Map<String, String> cell : cells) {
                    pageRows.add(String.join(" ", cell.get("program_id"), cell.get("partner_id"), cell.get("month"), cell.get("status"),
                            cell.get("outside_measures"), rate(cell.get("on_time_share")), cell.get("rows_received"), cell.get("rows_rejected"),
                            rate(cell.get("rejected_share")), cell.get("records_sent_more_than_once"), rate(cell.get("duplicate_share")),
                            cell.get("late_edits"), cell.get("attendance_waiting"), cell.get("cohorts_open_after_end"), cell.get("outlier_sessions")));
                }
                List<String> expectedCells = new ArrayList<>();
                for (Map<String, Object> r : expected.scorecard().values()) {
                    expectedCells.add(String.join(" ", (String) r.get("program_id"), (String) r.get("partner_id"),
                            ((String) r.get("month")).substring(0, 7), (String) r.get("status"), (String) r.get("outside_measures"),
                            rate(r.get("on_time_share")), r.get("rows_received").toString(), r.get("rows_rejected").toString(),
                            rate(r.get("rejected_share")), r.get("records_sent_more_than_once").toString(), rate(r.get("duplicate_share")),
                            r.get("late_edits").toString(), r.get("attendance_waiting").toString(), r.get("cohorts_open_after_end").toString(),
                            r.get("outlier_sessions").toString()));
                }
                assertEquals(expectedCells, pageRows, "the /quality page's scorecard cells");
            }
        }
    }

    private static String select(String db, String view, List<String> columns) {
        List<String> selected = columns.stream().map(c -> c.equals("month") ? "toString(month) AS month" : c).toList();
        return "SELECT " + String.join(", ", selected) + " FROM " + db + "." + view + " ORDER BY program_id, partner_id, month";
    }

    /** Rows as lines, keyed and sorted by program, partner and month; numbers to 9 decimals. */
    private static List<String> rows(Map<String, Map<String, Object>> rows, List<String> columns) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : rows.values()) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                cells.add(number(row.get(c)));
            }
            out.add(String.join(" ", cells));
        }
        return out;
    }

    private static List<String> rows(List<Map<String, String>> rows, List<String> columns) {
        Map<String, Map<String, Object>> keyed = new TreeMap<>();
        for (Map<String, String> row : rows) {
            keyed.put(row.get("program_id") + "|" + row.get("partner_id") + "|" + row.get("month"), new java.util.LinkedHashMap<>(row));
        }
        return rows(keyed, columns);
    }

    private static String number(Object value) {
        String text = String.valueOf(value);
        if (text.matches("-?\\d+(\\.\\d+)?([eE]-?\\d+)?") ) {
            double d = Double.parseDouble(text);
            return String.format(java.util.Locale.ROOT, "%.9f", d).replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return text;
    }

    /** A share as the page's cells carry it: four decimals. */
    private static String rate(Object value) {
        return new java.math.BigDecimal(String.valueOf(value)).setScale(4, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** The scorecard section of {@code report quality}: identity, status and the counts, one line per row. */
    private static List<String> printedScorecard(Map<String, String> config) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = ReportCommand.run(new String[] {"quality"}, config, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(ReportCommand.OK, code, out);
        List<String> lines = out.lines().toList();
        int start = lines.indexOf(lines.stream().filter(l -> l.startsWith("Scorecard per partner and month")).findFirst().orElseThrow());
        List<String> printed = new ArrayList<>();
        for (int l = start + 3; l < lines.size() && !lines.get(l).isBlank(); l++) {
            String[] cells = lines.get(l).strip().split(" +");
            // program partner month status [outside] on_time received rejected rejected_share sent_twice duplicate_share late waiting open outliers
            int n = cells.length;
            boolean outside = n == 15;
            List<String> keep = new ArrayList<>(List.of(cells[0], cells[1], cells[2], cells[3], outside ? cells[4] : ""));
            int at = outside ? 5 : 4;
            for (int k : new int[] {1, 2, 4, 6, 7, 8, 9}) {
                keep.add(cells[at + k].replace(",", ""));
            }
            printed.add(String.join(" ", keep).replaceAll(" +", " "));
        }
        return printed;
    }
}
