package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.Sex;
import org.fieldstream.platform.ClickHouseService;
import org.fieldstream.platform.KafkaService;
import org.fieldstream.platform.TestServices;
import org.fieldstream.producers.IngestCommand;
import org.fieldstream.producers.forms.Revisions;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.seeds.ExpectedMetrics;
import org.fieldstream.seeds.FieldRecord;
import org.fieldstream.seeds.Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One training form, "session_register" (a session header group, a repeat {@code register/members}
 * inside the group {@code register}, a select_multiple {@code participation} per member), and its
 * enrolment form "group_enrolment" (a select_multiple of the members who joined), run by two partners
 * of one program: NDP on KoboToolbox, MMS on ODK Central. Their exports, in
 * {@code src/test/resources/form-exports}, are written here in the tools' shapes (see
 * KoboExportSourceTest and CentralExportTest for where each shape comes from):
 * <ul>
 * <li>NDP: three Kobo {@code /api/v2/assets/<uid>/data/} pages taken on 03-10, 03-18 and 03-25. Session 1
 *   is edited twice (a member's presence added, then one removed), session 2 once; each export holds only
 *   the newest version. The last one also holds a register for a session 5 the cohort never planned.</li>
 * <li>MMS: the same history from Central: OData with {@code $expand=*} (03-11), OData Submissions plus its
 *   {@code Submissions.register.members} table (03-18), the CSV zip (03-26).</li>
 * </ul>
 * Everything goes through the ingest command ({@code fieldstream ingest --source kobo|odk --form MAPPING}),
 * Kobo's attendance exports out of order (03-10, 03-25, then 03-18) and Central's first export once more
 * at the end, onto the real broker, the streams application and the sink into the real ClickHouse. The
 * expectation is written independently, by hand from the forms' final content (below), and computed by
 * the seeds' {@link ExpectedMetrics}.
 */
class FormExportsIT {

    private static final String PROGRAM = "shouhardo3";

    @TempDir
    Path work;

    @Test
    void koboAndCentralExportsWithEditsAndRepeatsLandOnceWithTheExpectedMetrics() throws Exception {
        KafkaService kafka = TestServices.kafka();
        ClickHouseService clickHouseServer = TestServices.clickHouse();
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String database = "it_forms_" + run;
        Map<String, String> settings = Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "FIELDSTREAM_TOPIC_PREFIX", "it-" + run + ".",
                "FIELDSTREAM_CLICKHOUSE_URL", clickHouseServer.httpUrl(),
                "FIELDSTREAM_CLICKHOUSE_DATABASE", database,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", "it-forms-" + run,
                "FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("state").toString(),
                "FIELDSTREAM_SINK_GROUP_ID", "it-sink-" + run,
                LocalRun.secretVariable(PROGRAM), LocalRun.randomSecret());
        Path input = copyExports();
        ReferenceData reference = ReferenceData.bundled();

        try (Pipeline pipeline = Pipeline.start(settings, reference);
             ClickHouseGateway clickHouse = new ClickHouseGateway(clickHouseServer.httpUrl(), "default", "")) {
            Ingest ndp = new Ingest(settings, input, "ndp");
            ndp.run(List.of("ndp/cohorts.csv"), "ndp/cohorts.csv (cohorts): 1 rows, 1 accepted, 0 rejected");
            ndp.run(List.of("--source", "kobo", "--form", "group_enrolment", "ndp/group_enrolment.json"),
                    "ndp/group_enrolment.json (enrolments): 6 rows, 6 accepted, 0 rejected");
            ndp.run(List.of("--source", "kobo", "--form", "session_register_sessions", "ndp/session_register_2026-03-10.json",
                            "ndp/session_register_2026-03-18.json", "ndp/session_register_2026-03-25.json"),
                    "ndp/session_register_2026-03-10.json (sessions): 2 rows, 2 accepted, 0 rejected",
                    "ndp/session_register_2026-03-18.json (sessions): 3 rows, 3 accepted, 0 rejected",
                    "ndp/session_register_2026-03-25.json (sessions): 5 rows, 4 accepted, 1 rejected",
                    "rejected ndp/session_register_2026-03-25.json:c7a9e1f3-0000-4b00-9c00-000000006191 session_number: "
                            + "5 is outside 1..4 (the cohort's planned sessions)");
            ndp.run(List.of("--source", "kobo", "--form", "session_register_attendance", "ndp/session_register_2026-03-10.json"),
                    "ndp/session_register_2026-03-10.json (attendance): 11 rows, 11 accepted, 0 rejected");
            ndp.run(List.of("--source", "kobo", "--form", "session_register_attendance", "ndp/session_register_2026-03-25.json"),
                    "ndp/session_register_2026-03-25.json (attendance): 24 rows, 22 accepted, 2 rejected");
            ndp.run(List.of("--source", "kobo", "--form", "session_register_attendance", "ndp/session_register_2026-03-18.json"),
                    "ndp/session_register_2026-03-18.json (attendance): 16 rows, 16 accepted, 0 rejected");

            Ingest mms = new Ingest(settings, input, "mms");
            mms.run(List.of("mms/cohorts.csv"), "mms/cohorts.csv (cohorts): 1 rows, 1 accepted, 0 rejected");
            mms.run(List.of("--source", "odk", "--form", "group_enrolment", "mms/group_enrolment_Submissions.json"),
                    "mms/group_enrolment_Submissions.json (enrolments): 4 rows, 4 accepted, 0 rejected");
            mms.run(List.of("--source", "odk", "--form", "session_register_sessions", "mms/2026-03-11_Submissions_expand.json"),
                    "mms/2026-03-11_Submissions_expand.json (sessions): 2 rows, 2 accepted, 0 rejected");
            mms.run(List.of("--source", "odk", "--form", "session_register_sessions", "mms/2026-03-18_Submissions.json"),
                    "mms/2026-03-18_Submissions.json (sessions): 3 rows, 3 accepted, 0 rejected");
            mms.run(List.of("--source", "odk", "--form", "session_register_sessions", "mms/2026-03-26_session_register.csv.zip"),
                    "mms/2026-03-26_session_register.csv.zip (sessions): 5 rows, 4 accepted, 1 rejected");
            mms.run(List.of("--source", "odk", "--form", "session_register_attendance", "mms/2026-03-11_Submissions_expand.json"),
                    "mms/2026-03-11_Submissions_expand.json (attendance): 8 rows, 8 accepted, 0 rejected");
            mms.run(List.of("--source", "odk", "--form", "session_register_attendance", "mms/2026-03-26_session_register.csv.zip"),
                    "mms/2026-03-26_session_register.csv.zip (attendance): 18 rows, 16 accepted, 2 rejected");
            mms.run(List.of("--source", "odk", "--form", "session_register_attendance", "mms/2026-03-18_Submissions.json",
                            "mms/2026-03-18_Submissions.register.members.json"),
                    "mms/2026-03-18_Submissions.json (attendance): 12 rows, 12 accepted, 0 rejected");
            mms.run(List.of("--source", "odk", "--form", "session_register_attendance", "mms/2026-03-11_Submissions_expand.json"),
                    "mms/2026-03-11_Submissions_expand.json (attendance): 8 rows, 8 accepted, 0 rejected");

            ExpectedMetrics expected = ExpectedMetrics.compute(finalRecords(), reference, Function.identity());
            assertTrue(MetricsCheck.awaitMatch(clickHouse, database, expected, Duration.ofSeconds(120), System.out),
                    "landed metrics differ from the expectation (printed above)");
            assertEquals(List.of(), MetricsCheck.differences(clickHouse, database, expected));
            assertEquals(2, expected.family("cohort_retention").size(), "both cohorts are in the comparison");

            int lastKoboEdit = Revisions.ofEditTime(Instant.parse("2026-03-20T10:00:00Z"));
            Map<String, String> events = new TreeMap<>(Map.of(
                    "csv training_cohort_registered", "2 events, 2 current, top revision 1",
                    "kobo participant_enrolled", "6 events, 6 current, top revision 1",
                    "kobo session_held", "7 events, 4 current, top revision " + lastKoboEdit,
                    "kobo attendance_recorded", "38 events, 22 current, top revision " + lastKoboEdit,
                    "odk participant_enrolled", "4 events, 4 current, top revision 1",
                    "odk session_held", "7 events, 4 current, top revision 3",
                    "odk attendance_recorded", "28 events, 16 current, top revision 3"));
            assertEquals(events, awaitEvents(clickHouse, database, events), "every version once in field_events, one current per record");
        }
    }

    /** The program's records as they stand after every edit, written out from the forms' final content. */
    private static Ledger finalRecords() {
        Ledger ledger = new Ledger();
        cohort(ledger, "ndp", "K1", "Homestead gardening", "bd-kazipur-tekani-purbapara");
        cohort(ledger, "mms", "O1", "Savings and credit", "bd-chauhali-ghorjan-purbapara");
        // NDP enrolled on 2026-03-01T20:30 UTC (Kobo's _submission_time, UTC without offset) = 2026-03-02 in Dhaka;
        // W-006 on 2026-03-09T19:00 UTC = 2026-03-10, so session 2 (03-09), where she was present, is not expected of her

        for (String w : List.of("NDP-W-001", "NDP-W-002", "NDP-W-003", "NDP-W-004", "NDP-W-005")) {
            enrol(ledger, "ndp", "K1", w, "2026-03-02");
        }
        enrol(ledger, "ndp", "K1", "NDP-W-006", "2026-03-10");
        // MMS enrolled on 2026-03-01T19:10Z (Central __system/submissionDate) = 2026-03-02 in Dhaka
        for (String w : List.of("MMS-W-01", "MMS-W-02", "MMS-W-03", "MMS-W-04")) {
            enrol(ledger, "mms", "O1", w, "2026-03-02");
        }
        // sessions: the local date of the form's start timestamp (NDP's session 1 opened 05:45 in Dhaka, 03-01 in UTC)
        List<String> ndpDates = List.of("2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23");
        List<String> mmsDates = List.of("2026-03-03", "2026-03-10", "2026-03-17", "2026-03-24");
        for (int n = 1; n <= 4; n++) {
            ledger.accept(new FieldRecord.Session(PROGRAM, "ndp", "K1", n, LocalDate.parse(ndpDates.get(n - 1))));
            ledger.accept(new FieldRecord.Session(PROGRAM, "mms", "O1", n, LocalDate.parse(mmsDates.get(n - 1))));
        }
        // attendance: 'present' ticked in participation (after session 1's two edits and session 2's one)
        attend(ledger, "ndp", "K1", 1, Map.of("NDP-W-001", true, "NDP-W-002", true, "NDP-W-003", true, "NDP-W-004", true, "NDP-W-005", false));
        attend(ledger, "ndp", "K1", 2, Map.of("NDP-W-001", true, "NDP-W-002", true, "NDP-W-003", true, "NDP-W-004", true, "NDP-W-005", false,
                "NDP-W-006", true));
        attend(ledger, "ndp", "K1", 3, Map.of("NDP-W-001", true, "NDP-W-002", false, "NDP-W-003", true, "NDP-W-004", true, "NDP-W-006", true));
        attend(ledger, "ndp", "K1", 4, Map.of("NDP-W-001", true, "NDP-W-002", false, "NDP-W-003", true, "NDP-W-004", true, "NDP-W-005", false,
                "NDP-W-006", true));
        attend(ledger, "mms", "O1", 1, Map.of("MMS-W-01", true, "MMS-W-02", true, "MMS-W-03", true, "MMS-W-04", false));
        attend(ledger, "mms", "O1", 2, Map.of("MMS-W-01", true, "MMS-W-02", true, "MMS-W-03", false, "MMS-W-04", true));
        attend(ledger, "mms", "O1", 3, Map.of("MMS-W-01", true, "MMS-W-02", false, "MMS-W-03", true, "MMS-W-04", true));
        attend(ledger, "mms", "O1", 4, Map.of("MMS-W-01", true, "MMS-W-02", true, "MMS-W-03", true, "MMS-W-04", false));
        return ledger;
    }

    private static void cohort(Ledger ledger, String partner, String cohort, String topic, String orgUnit) {
        ledger.accept(new FieldRecord.Cohort(PROGRAM, partner, cohort, topic, 4, LocalDate.parse("2026-03-01"), null, orgUnit, "women"));
    }

    private static void enrol(Ledger ledger, String partner, String cohort, String person, String on) {
        ledger.accept(new FieldRecord.Enrolment(PROGRAM, partner, cohort, person, Sex.FEMALE, null, null, LocalDate.parse(on)));
    }

    private static void attend(Ledger ledger, String partner, String cohort, int session, Map<String, Boolean> present) {
        new TreeMap<>(present).forEach((person, here) -> ledger.accept(new FieldRecord.Attendance(PROGRAM, partner, cohort, session,
                person, here ? AttendanceStatus.PRESENT : AttendanceStatus.ABSENT)));
    }

    /** Events per source and type: distinct ids, current records, highest revision; polled until as wanted or 60 s. */
    private static Map<String, String> awaitEvents(ClickHouseGateway clickHouse, String database, Map<String, String> wanted) {
        try {
            return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> events(clickHouse, database), wanted::equals);
        } catch (ConditionTimeoutException e) {
            return events(clickHouse, database);
        }
    }

    private static Map<String, String> events(ClickHouseGateway clickHouse, String database) {
        Map<String, String> landed = new TreeMap<>();
        Map<String, String> current = new HashMap<>();
        for (Map<String, String> row : clickHouse.query("SELECT source, event_type, count() AS n FROM " + database
                + ".v_field_events_current GROUP BY source, event_type")) {
            current.put(row.get("source") + " " + row.get("event_type"), row.get("n"));
        }
        for (Map<String, String> row : clickHouse.query("SELECT source, event_type, uniqExact(event_id) AS n, max(revision) AS top FROM "
                + database + ".field_events GROUP BY source, event_type")) {
            String key = row.get("source") + " " + row.get("event_type");
            landed.put(key, row.get("n") + " events, " + current.get(key) + " current, top revision " + row.get("top"));
        }
        return landed;
    }

    /** The fixtures, plus Central's CSV export as the zip Central serves ({@code <form>.csv}, {@code <form>-<repeat>.csv}). */
    private Path copyExports() throws Exception {
        Path from = Path.of(getClass().getResource("/form-exports").toURI());
        Path to = work.resolve("input");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(to.resolve("mms/2026-03-26_session_register.csv.zip")))) {
            for (String table : List.of("session_register.csv", "session_register-members.csv")) {
                zip.putNextEntry(new ZipEntry(table));
                Files.copy(to.resolve("mms/2026-03-26_" + table), zip);
                zip.closeEntry();
            }
        }
        return to;
    }

    /** Runs the ingest command for one partner, as {@code fieldstream ingest} would, and checks its summary. */
    private record Ingest(Map<String, String> settings, Path base, String partner) {

        void run(List<String> args, String... summaryLines) throws IOException {
            List<String> full = new ArrayList<>(List.of("ingest", "--program", PROGRAM, "--partner", partner, "--base", base.toString()));
            full.addAll(args);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = IngestCommand.run(full.toArray(new String[0]), settings, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String summary = out.toString(StandardCharsets.UTF_8);
            assertEquals(IngestCommand.OK, status, summary + err.toString(StandardCharsets.UTF_8));
            List<String> lines = summary.lines().map(String::strip).toList();
            for (String line : summaryLines) {
                assertTrue(lines.contains(line), "summary lacks '" + line + "':\n" + summary);
            }
        }
    }
}
