package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.platform.ClickHouseService;
import org.fieldstream.platform.KafkaService;
import org.fieldstream.platform.TestServices;
import org.fieldstream.producers.IngestCommand;
import org.fieldstream.reference.ReferenceData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A form submission is the unit of revision: edits that drop records retract them, in any arrival
 * order, on the real broker, the streams application and the sink into the real ClickHouse. The
 * exports ({@code src/test/resources/form-exports/revisions}) are written in the tools' shapes, as in
 * {@link FormExportsIT}, one submission per form and two versions of each:
 * <ul>
 * <li>NDP on KoboToolbox: a women's group enrolment (select_multiple {@code group/new_members}, one
 *   enrolment per ticked member) sent with four members, then edited in Enketo to un-tick NDP-W-102
 *   ({@code _id} kept, a new instance id, {@code meta/deprecatedID}, a renewed {@code end}); a dialogue
 *   with five attendees numbered by an attendee-number question in the repeat
 *   {@code dialogue/attendees}, then edited to delete attendee 4.</li>
 * <li>MMS on ODK Central: a session register sent with three members (OData {@code Submissions} and its
 *   {@code Submissions.register.members} table, edits 0), then edited to delete MMS-W-72 and exported
 *   as Central's CSV ({@code Edits} 1).</li>
 * </ul>
 * The enrolment and the register arrive oldest first, the dialogue newest first; every older export
 * is sent again at the end. The figures expected are worked out by hand from the edited forms: K7 enrols
 * three women; D-TEK-07 has four attendees (three women, one man; two with a member id); in April NDP
 * reaches the two identified dialogue attendees and MMS the one member present at O7's session 1
 * (MMS-W-73 was absent; MMS-W-72, present in the first version, was deleted from the register).
 * Last, a CSV run whose dialogue is dated before the program's start reports its two attendees as
 * waiting.
 */
class SubmissionVersionsIT {

    private static final String PROGRAM = "shouhardo3";
    private static final String ENROLMENTS = """
            {"form_id": "group_enrolment", "layout": "enrolments", "columns": {
              "cohort_id": "group/cohort_id", "person_key": {"field": "group/new_members", "each": true},
              "sex": {"const": "female"}, "enrolled_on": {"field": "_submission_time", "date": true}}}
            """;
    private static final String DIALOGUES = """
            {"form_id": "dialogue", "layout": "dialogues", "columns": {
              "dialogue_id": "dialogue/dialogue_id", "kind": "dialogue/kind", "topic": "dialogue/topic",
              "held_on": {"field": "dialogue/held_on", "date": true}, "org_unit_id": "dialogue/org_unit"}}
            """;
    private static final String ATTENDEES = """
            {"form_id": "dialogue", "layout": "dialogue_attendance", "repeat": "dialogue/attendees", "columns": {
              "dialogue_id": "dialogue/dialogue_id", "attendee_no": "dialogue/attendees/attendee_no",
              "role": "dialogue/attendees/role", "sex": "dialogue/attendees/sex",
              "person_key": {"field": "dialogue/attendees/member_id", "optional": true},
              "age": {"field": "dialogue/attendees/age", "optional": true}}}
            """;

    @TempDir
    Path work;

    @Test
    void editsThatUntickAChoiceAndDeleteARepeatItemEndWithExactlyTheLatestVersionsRecords() throws Exception {
        KafkaService kafka = TestServices.kafka();
        ClickHouseService clickHouseServer = TestServices.clickHouse();
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String database = "it_versions_" + run;
        Map<String, String> settings = Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "FIELDSTREAM_TOPIC_PREFIX", "it-" + run + ".",
                "FIELDSTREAM_CLICKHOUSE_URL", clickHouseServer.httpUrl(),
                "FIELDSTREAM_CLICKHOUSE_DATABASE", database,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", "it-versions-" + run,
                "FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("state").toString(),
                "FIELDSTREAM_SINK_GROUP_ID", "it-sink-" + run,
                LocalRun.secretVariable(PROGRAM), LocalRun.randomSecret());
        Path input = work.resolve("input");
        for (String file : List.of("ndp/group_enrolment_2026-04-03.json", "ndp/group_enrolment_2026-04-10.json",
                "ndp/dialogue_2026-04-08.json", "ndp/dialogue_2026-04-16.json", "mms/2026-04-06_Submissions.json",
                "mms/2026-04-06_Submissions.register.members.json", "mms/2026-04-13_session_register.csv",
                "mms/2026-04-13_session_register-members.csv")) {
            Files.createDirectories(input.resolve(file).getParent());
            Files.copy(Path.of(getClass().getResource("/form-exports/revisions/" + file).toURI()), input.resolve(file));
        }
        Files.writeString(input.resolve("ndp/cohorts.csv"), """
                cohort_id,topic,planned_sessions,start_date,org_unit_id,target_group
                K7,Homestead gardening,4,2026-04-01,bd-kazipur-tekani-purbapara,women
                """);
        Files.writeString(input.resolve("mms/cohorts.csv"), """
                cohort_id,topic,planned_sessions,start_date,org_unit_id,target_group
                O7,Savings and credit,4,2026-04-01,bd-chauhali-ghorjan-purbapara,women
                """);
        Files.writeString(input.resolve("mms/sessions.csv"), "cohort_id,session_number,held_on\nO7,1,2026-04-05\n");
        Files.writeString(input.resolve("enrolments.json"), ENROLMENTS);
        Files.writeString(input.resolve("dialogues.json"), DIALOGUES);
        Files.writeString(input.resolve("attendees.json"), ATTENDEES);

        try (Pipeline pipeline = Pipeline.start(settings, ReferenceData.bundled());
             ClickHouseGateway clickHouse = new ClickHouseGateway(clickHouseServer.httpUrl(), "default", "")) {
            ingest(settings, input, "ndp", List.of("ndp/cohorts.csv"), "ndp/cohorts.csv (cohorts): 1 rows, 1 accepted, 0 rejected");
            ingest(settings, input, "mms", List.of("mms/cohorts.csv", "mms/sessions.csv"),
                    "mms/sessions.csv (sessions): 1 rows, 1 accepted, 0 rejected");

            // Kobo, a select_multiple under "each": oldest first; the edit un-ticks NDP-W-102
            String enrolV1 = "ndp/group_enrolment_2026-04-03.json";
            String enrolV2 = "ndp/group_enrolment_2026-04-10.json";
            List<String> kobo = List.of("--source", "kobo", "--form", input.resolve("enrolments.json").toString());
            ingest(settings, input, "ndp", with(kobo, enrolV1), "accepted: 4 new, 0 already there, 0 superseded");
            Run edit = ingest(settings, input, "ndp", with(kobo, enrolV2), "accepted: 3 new, 0 already there, 0 superseded");
            assertTrue(edit.lines().contains("retracted: 1 records of earlier submission versions that the latest version "
                    + "no longer gives"), edit.out());
            Run older = ingest(settings, input, "ndp", with(kobo, enrolV1), "accepted: 0 new, 4 already there, 0 superseded");
            assertTrue(older.lines().stream().noneMatch(l -> l.startsWith("retracted:")), older.out());
            ingest(settings, input, "ndp", with(kobo, enrolV2), "accepted: 0 new, 3 already there, 0 superseded");

            // Kobo, a repeat: newest first; the edit deleted attendee 4
            String dialogueV1 = "ndp/dialogue_2026-04-08.json";
            String dialogueV2 = "ndp/dialogue_2026-04-16.json";
            ingest(settings, input, "ndp", List.of("--source", "kobo", "--form", input.resolve("dialogues.json").toString(),
                    dialogueV2), dialogueV2 + " (dialogues): 1 rows, 1 accepted, 0 rejected");
            List<String> attendees = List.of("--source", "kobo", "--form", input.resolve("attendees.json").toString());
            ingest(settings, input, "ndp", with(attendees, dialogueV2), "accepted: 4 new, 0 already there, 0 superseded");
            Run late = ingest(settings, input, "ndp", with(attendees, dialogueV1), "accepted: 0 new, 0 already there, 5 superseded");
            assertTrue(late.lines().contains("retracted: 1 records of earlier submission versions that the latest version "
                    + "no longer gives"), "the older version's attendee 4 is voided as it lands: " + late.out());
            ingest(settings, input, "ndp", with(attendees, dialogueV1), "accepted: 0 new, 5 already there, 0 superseded");

            // ODK Central, a repeat table: OData first, then the CSV of the edit that deleted MMS-W-72
            List<String> odk = List.of("--source", "odk", "--form", "session_register_attendance");
            ingest(settings, input, "mms", with(odk, "mms/2026-04-06_Submissions.json", "mms/2026-04-06_Submissions.register.members.json"),
                    "accepted: 3 new, 0 already there, 0 superseded");
            Run csv = ingest(settings, input, "mms", with(odk, "mms/2026-04-13_session_register.csv",
                    "mms/2026-04-13_session_register-members.csv"), "accepted: 2 new, 0 already there, 0 superseded");
            assertTrue(csv.lines().contains("retracted: 1 records of earlier submission versions that the latest version "
                    + "no longer gives"), csv.out());
            ingest(settings, input, "mms", with(odk, "mms/2026-04-06_Submissions.json", "mms/2026-04-06_Submissions.register.members.json"),
                    "accepted: 0 new, 3 already there, 0 superseded");

            // rows that can only wait: a dialogue dated before the program's start is rejected, its attendees wait
            Files.writeString(input.resolve("ndp/old_dialogues.csv"), "dialogue_id,kind,topic,held_on,org_unit_id\n"
                    + "D-OLD-01,community_consultation,Embankment repair,2025-09-14,bd-kazipur-tekani-purbapara\n");
            Files.writeString(input.resolve("ndp/old_dialogue_attendance.csv"), "dialogue_id,attendee_no,role,sex\n"
                    + "D-OLD-01,1,chair,f\nD-OLD-01,2,member,m\n");
            Run waiting = ingest(settings, input, "ndp", List.of("ndp/old_dialogue_attendance.csv", "ndp/old_dialogues.csv"),
                    "ndp/old_dialogue_attendance.csv (dialogue_attendance): 2 rows, 2 accepted, 0 rejected");
            assertTrue(waiting.lines().contains("waiting: 2 accepted rows name a cohort or dialogue whose registration was "
                    + "rejected in this run; they count nowhere until a registration lands"), waiting.out());

            Map<String, String> wanted = new TreeMap<>(Map.of(
                    "K7 enrolled", "3",
                    "D-TEK-07 attendees", "4", "D-TEK-07 female", "3", "D-TEK-07 male", "1", "D-TEK-07 identified", "2",
                    "ndp reached 2026-04", "2", "mms reached 2026-04", "1",
                    "current enrolled", "3", "current dialogue_attended", "4", "current attendance_recorded", "2"));
            assertEquals(wanted, await(clickHouse, database, wanted), "exactly the latest versions' records are counted");
        }
    }

    private static List<String> with(List<String> args, String... files) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(files));
        return all;
    }

    private static Map<String, String> await(ClickHouseGateway clickHouse, String database, Map<String, String> wanted) {
        try {
            return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> figures(clickHouse, database), wanted::equals);
        } catch (ConditionTimeoutException e) {
            return figures(clickHouse, database);
        }
    }

    private static Map<String, String> figures(ClickHouseGateway clickHouse, String database) {
        Map<String, String> figures = new TreeMap<>();
        try {
            for (Map<String, String> row : clickHouse.query("SELECT cohort_id, enrolled FROM " + database
                    + ".v_cohort_retention WHERE cohort_id = 'K7'")) {
                figures.put(row.get("cohort_id") + " enrolled", row.get("enrolled"));
            }
            for (Map<String, String> row : clickHouse.query("SELECT attendees, attendees_female, attendees_male, identified_persons FROM "
                    + database + ".v_dialogues WHERE dialogue_id = 'D-TEK-07'")) {
                figures.put("D-TEK-07 attendees", row.get("attendees"));
                figures.put("D-TEK-07 female", row.get("attendees_female"));
                figures.put("D-TEK-07 male", row.get("attendees_male"));
                figures.put("D-TEK-07 identified", row.get("identified_persons"));
            }
            for (Map<String, String> row : clickHouse.query("SELECT dimension_id, people_reached FROM " + database
                    + ".v_outreach WHERE period_kind = 'month' AND period_start = '2026-04-01' AND dimension = 'partner'"
                    + " AND sex = 'all' AND age_band = 'all'")) {
                figures.put(row.get("dimension_id") + " reached 2026-04", row.get("people_reached"));
            }
            for (Map<String, String> row : clickHouse.query("SELECT event_type, count() AS n FROM " + database
                    + ".v_field_events_current WHERE event_type IN ('participant_enrolled', 'dialogue_attended', 'attendance_recorded')"
                    + " AND aggregate_id IN ('shouhardo3/ndp/K7', 'shouhardo3/ndp/D-TEK-07', 'shouhardo3/mms/O7')"
                    + " GROUP BY event_type")) {
                figures.put("current " + row.get("event_type").replace("participant_", ""), row.get("n"));
            }
        } catch (RuntimeException e) {
            figures.put("not yet", e.getClass().getSimpleName());
        }
        return figures;
    }

    private record Run(int status, String out, String err) {
        List<String> lines() {
            return out.lines().map(String::strip).toList();
        }
    }

    /** Runs the ingest command for a partner and checks it printed {@code expected} as one of its lines. */
    private static Run ingest(Map<String, String> settings, Path base, String partner, List<String> args, String expected) {
        List<String> all = new ArrayList<>(List.of("ingest", "--program", PROGRAM, "--partner", partner, "--base", base.toString()));
        all.addAll(args);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = IngestCommand.run(all.toArray(new String[0]), settings, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Run run = new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertEquals(IngestCommand.OK, status, run.out() + run.err());
        assertTrue(run.lines().contains(expected), "expected \"" + expected + "\" in:\n" + run.out() + run.err());
        return run;
    }
}
