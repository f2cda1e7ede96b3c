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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.ClickHouseService;
import org.fieldstream.platform.KafkaService;
import org.fieldstream.platform.TestServices;
import org.fieldstream.producers.IngestCommand;
import org.fieldstream.producers.KafkaClients;
import org.fieldstream.producers.ProducerSettings;
import org.fieldstream.producers.RejectionsCommand;
import org.fieldstream.reference.ReferenceData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dialogue form on KoboToolbox ({@code form-exports/ndp/dialogue_2026-04-15.json}: a
 * {@code /api/v2/assets/<uid>/data/} page written in the server's shape, one consultation with five
 * attendees in the repeat {@code dialogue/attendees}, one grading with two), tried and published
 * through the ingest command onto the real broker, the streams application and the sink into the real
 * ClickHouse: a mapping with a typo publishes nothing and names the path; {@code --dry-run} publishes
 * nothing and says what an ingest would give; attendees numbered by their position in the repeat land
 * one record each (five for the consultation); sending the export again is counted as already there;
 * numbering them all 1 rejects every item, naming the others, and {@code rejections} lists those rows redacted.
 */
class FormMappingChecksIT {

    private static final String PROGRAM = "shouhardo3";
    private static final String EXPORT = "ndp/dialogue_2026-04-15.json";

    private static final String DIALOGUES = """
            {"form_id": "dialogue", "layout": "dialogues", "columns": {
              "dialogue_id": "dialogue/dialogue_id", "kind": "dialogue/kind", "topic": "dialogue/topic",
              "held_on": {"field": "dialogue/held_on", "date": true}, "org_unit_id": "dialogue/org_unit"}}
            """;
    private static final String ATTENDANCE = """
            {"form_id": "dialogue", "layout": "dialogue_attendance", "repeat": "dialogue/attendees", "columns": {
              "dialogue_id": "dialogue/dialogue_id", "attendee_no": {"item": "position"},
              "role": "dialogue/attendees/role", "sex": "dialogue/attendees/sex", "age": "%s"}}
            """;

    @TempDir
    Path work;

    @Test
    void aTypoPublishesNothingADryRunPublishesNothingAndFiveAttendeesLandFive() throws Exception {
        KafkaService kafka = TestServices.kafka();
        ClickHouseService clickHouseServer = TestServices.clickHouse();
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String database = "it_formchecks_" + run;
        Map<String, String> settings = Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "FIELDSTREAM_TOPIC_PREFIX", "it-" + run + ".",
                "FIELDSTREAM_CLICKHOUSE_URL", clickHouseServer.httpUrl(),
                "FIELDSTREAM_CLICKHOUSE_DATABASE", database,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", "it-formchecks-" + run,
                "FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("state").toString(),
                "FIELDSTREAM_SINK_GROUP_ID", "it-sink-" + run,
                LocalRun.secretVariable(PROGRAM), LocalRun.randomSecret());
        Path input = work.resolve("input");
        Files.createDirectories(input.resolve("ndp"));
        Files.copy(Path.of(getClass().getResource("/form-exports/" + EXPORT).toURI()), input.resolve(EXPORT));
        Files.writeString(input.resolve("dialogues.json"), DIALOGUES);
        Files.writeString(input.resolve("attendance.json"), ATTENDANCE.formatted("dialogue/attendees/age"));
        Files.writeString(input.resolve("attendance_typo.json"), ATTENDANCE.formatted("dialogue/attendees/agee"));
        Files.writeString(input.resolve("attendance_const.json"), ATTENDANCE.formatted("dialogue/attendees/age")
                .replace("{\"item\": \"position\"}", "{\"const\": \"1\"}, \"person_key\": {\"field\": \"dialogue/attendees/member_id\", \"optional\": true}"));
        ProducerSettings producerSettings = ProducerSettings.load(null, settings);
        Topics topics = new Topics("it-" + run + ".");

        try (Pipeline pipeline = Pipeline.start(settings, ReferenceData.bundled());
             ClickHouseGateway clickHouse = new ClickHouseGateway(clickHouseServer.httpUrl(), "default", "")) {
            Run typo = ingest(settings, input, "attendance_typo.json");
            assertEquals(IngestCommand.UNUSABLE, typo.status(), typo.out() + typo.err());
            assertTrue(typo.err().contains("column age: \"dialogue/attendees/agee\" (closest in the export: \"dialogue/attendees/age\") "
                    + "not found in the export"), typo.err());

            Run dryDialogues = ingest(settings, input, "dialogues.json", "--dry-run");
            assertEquals(IngestCommand.OK, dryDialogues.status(), dryDialogues.err());
            assertTrue(dryDialogues.lines().contains("dry run: nothing was published; an ingest of these files would give:"),
                    dryDialogues.out());
            assertTrue(dryDialogues.lines().contains(EXPORT + " (dialogues): 2 rows, 2 accepted, 0 rejected"), dryDialogues.out());
            Run dryAttendance = ingest(settings, input, "attendance.json", "--dry-run");
            assertTrue(dryAttendance.lines().contains(EXPORT + " (dialogue_attendance): 7 rows, 7 accepted, 0 rejected"),
                    dryAttendance.out());
            assertTrue(dryAttendance.lines().contains("accepted: 7 new, 0 already there, 0 superseded"), dryAttendance.out());
            assertEquals(0, count(producerSettings, topics, true), "a typo and two dry runs publish no event");
            assertEquals(0, count(producerSettings, topics, false), "nor any rejection");

            Run dialogues = ingest(settings, input, "dialogues.json");
            assertTrue(dialogues.lines().contains(EXPORT + " (dialogues): 2 rows, 2 accepted, 0 rejected"), dialogues.out());
            Run attendance = ingest(settings, input, "attendance.json");
            assertTrue(attendance.lines().contains("accepted: 7 new, 0 already there, 0 superseded"), attendance.out());
            Run again = ingest(settings, input, "attendance.json");
            assertTrue(again.lines().contains("accepted: 0 new, 7 already there, 0 superseded"), again.out());
            assertEquals(9, count(producerSettings, topics, true), "two dialogues and seven attendees: sent twice, the same events");

            Run merged = ingest(settings, input, "attendance_const.json");
            assertTrue(merged.lines().contains(EXPORT + " (dialogue_attendance): 7 rows, 0 accepted, 7 rejected"), merged.out());
            ByteArrayOutputStream listed = new ByteArrayOutputStream();
            assertEquals(IngestCommand.OK, RejectionsCommand.run(new String[] {"rejections", "--program", PROGRAM, "--partner", "ndp"},
                    settings, new PrintStream(listed, true, StandardCharsets.UTF_8), System.err));
            String rejections = listed.toString(StandardCharsets.UTF_8);
            List<String> rows = rejections.lines().filter(l -> l.contains(" kobo " + EXPORT + ":")).toList();
            assertEquals(7, rows.size(), rejections);
            assertTrue(rows.get(0).contains("gives the same dialogue_attendance record (same dialogue_id, attendee_no) as "), rows.get(0));
            assertTrue(rejections.contains("\"person_key\":\"[redacted]\""), rejections);
            assertTrue(!rejections.contains("NDP-W-01"), "person keys are never listed: " + rejections);
            assertTrue(rejections.lines().toList().contains("7 rejected rows of shouhardo3 / ndp"), rejections);
            ByteArrayOutputStream later = new ByteArrayOutputStream();
            RejectionsCommand.run(new String[] {"--program", PROGRAM, "--partner", "ndp", "--since", "2999-01-01"}, settings,
                    new PrintStream(later, true, StandardCharsets.UTF_8), System.err);
            assertEquals("0 rejected rows of shouhardo3 / ndp since 2999-01-01", later.toString(StandardCharsets.UTF_8).strip());

            Map<String, String> wanted = new TreeMap<>(Map.of("shouhardo3/ndp/D-TEK-04", "5", "shouhardo3/ndp/D-TEK-05", "2"));
            assertEquals(wanted, awaitAttendees(clickHouse, database, wanted), "five attendees of one visit land five records");
        }
    }

    /** Distinct event ids on the events topic, or records on the rejected topic. */
    private static long count(ProducerSettings settings, Topics topics, boolean events) {
        Set<String> ids = new HashSet<>();
        AtomicLong rejections = new AtomicLong();
        if (events) {
            KafkaClients.readToEnd(settings, topics.events, e -> ids.add(e.getEventId()));
            return ids.size();
        }
        KafkaClients.readToEnd(settings, topics.rejected, r -> rejections.incrementAndGet());
        return rejections.get();
    }

    private static Map<String, String> awaitAttendees(ClickHouseGateway clickHouse, String database, Map<String, String> wanted) {
        try {
            return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> attendees(clickHouse, database), wanted::equals);
        } catch (ConditionTimeoutException e) {
            return attendees(clickHouse, database);
        }
    }

    private static Map<String, String> attendees(ClickHouseGateway clickHouse, String database) {
        Map<String, String> landed = new TreeMap<>();
        try {
            for (Map<String, String> row : clickHouse.query("SELECT aggregate_id, count() AS n FROM " + database
                    + ".v_field_events_current WHERE event_type = 'dialogue_attended' GROUP BY aggregate_id")) {
                landed.put(row.get("aggregate_id"), row.get("n"));
            }
        } catch (RuntimeException e) {
            landed.put("not yet", e.getClass().getSimpleName());
        }
        return landed;
    }

    private record Run(int status, String out, String err) {
        List<String> lines() {
            return out.lines().map(String::strip).toList();
        }
    }

    private static Run ingest(Map<String, String> settings, Path base, String mapping, String... more) {
        List<String> args = new ArrayList<>(List.of("ingest", "--program", PROGRAM, "--partner", "ndp", "--base", base.toString(),
                "--source", "kobo", "--form", base.resolve(mapping).toString()));
        args.addAll(List.of(more));
        args.add(EXPORT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = IngestCommand.run(args.toArray(new String[0]), settings, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
