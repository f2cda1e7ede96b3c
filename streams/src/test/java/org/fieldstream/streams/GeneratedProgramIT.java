package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.KafkaStreams;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.producers.IngestCommand;
import org.fieldstream.producers.Pseudonymizer;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.reference.ReferenceLoader;
import org.fieldstream.seeds.ExpectedMetrics;
import org.fieldstream.seeds.FieldRecord;
import org.fieldstream.seeds.MetricFamily;
import org.fieldstream.seeds.ScenarioGenerator;
import org.fieldstream.seeds.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeds' generated program, ingested through the producers' command on the real broker, streamed
 * by the metrics application: every streamed metric equals the generator's independent expected
 * values, field by field, and no other grain is live.
 */
class GeneratedProgramIT {

    private static final Map<String, String> SECRETS = Map.of("shouhardo3", "it-secret-shouhardo3-0001", "iid-edu", "it-secret-iid-edu-000001");

    @TempDir
    Path dir;

    @Test
    void streamedMetricsEqualTheGeneratorsExpectedValues() throws Exception {
        ItKafka kafka = new ItKafka();
        ReferenceData reference = ReferenceData.bundled();
        ReferenceLoader.publish(KafkaAccess.plain(kafka.bootstrap), kafka.topics, reference);
        ScenarioGenerator.Result scenario = new ScenarioGenerator(reference, 42, Size.TINY).generate(dir);
        ExpectedMetrics expected = scenario.expected(reference, pseudonyms(scenario));

        StreamsSettings settings = StreamsSettings.load(null, Map.of(
                "FIELDSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrap,
                "FIELDSTREAM_STREAMS_APPLICATION_ID", kafka.id,
                "FIELDSTREAM_TOPIC_PREFIX", kafka.topics.prefix(),
                "FIELDSTREAM_STREAMS_STATE_DIR", Path.of("target", "it-state", kafka.id).toString(),
                "FIELDSTREAM_STREAMS_COMMIT_INTERVAL_MS", "100",
                "FIELDSTREAM_STREAMS_PUNCTUATE_INTERVAL_MS", "200"));
        try (KafkaStreams streams = new KafkaStreams(MetricsTopology.build(settings), settings.streamsProperties())) {
            streams.start();
            ingest(kafka, scenario);
            Map<String, String> want = render(expected);
            assertTrue(want.size() > 100, "the scenario yields metrics: " + want.size());
            Map<String, String> got = Map.of();
            for (int attempt = 0; attempt < 90 && !got.equals(want); attempt++) {
                Thread.sleep(1000);
                got = streamed(kafka);
            }
            assertEquals(want.keySet(), got.keySet(), "the same grains are live");
            for (Map.Entry<String, String> e : want.entrySet()) {
                assertEquals(e.getValue(), got.get(e.getKey()), e.getKey());
            }
            Thread.sleep(1500);
            assertEquals(want, streamed(kafka), "nothing further arrives");
            streams.close(Duration.ofSeconds(30));
        }
    }

    /** Each person key pseudonymised under the secret of the program it was recorded in. */
    private static Function<String, String> pseudonyms(ScenarioGenerator.Result scenario) {
        Map<String, String> programOf = new HashMap<>();
        scenario.ledger().current(FieldRecord.Enrolment.class).forEach(e -> programOf.put(e.personKey(), e.programId()));
        scenario.ledger().current(FieldRecord.Attendance.class).forEach(a -> programOf.put(a.personKey(), a.programId()));
        scenario.ledger().current(FieldRecord.DialogueAttendee.class).forEach(a -> {
            if (a.personKey() != null) {
                programOf.put(a.personKey(), a.programId());
            }
        });
        Map<String, Pseudonymizer> byProgram = new HashMap<>();
        SECRETS.forEach((program, secret) -> byProgram.put(program, new Pseudonymizer(program, secret.getBytes(StandardCharsets.UTF_8))));
        return key -> byProgram.get(programOf.get(key)).personId(key);
    }

    private void ingest(ItKafka kafka, ScenarioGenerator.Result scenario) {
        ReferenceData reference = ReferenceData.bundled();
        List<String> manifest = scenario.manifest();
        int i = 0;
        while (i < manifest.size()) {
            String partner = manifest.get(i).split("/")[0];
            List<String> files = new ArrayList<>();
            while (i < manifest.size() && manifest.get(i).startsWith(partner + "/")) {
                files.add(manifest.get(i++));
            }
            String program = reference.partner(partner).orElseThrow().getProgramId();
            List<String> args = new ArrayList<>(List.of("ingest", "--program", program, "--partner", partner, "--base", dir.toString()));
            args.addAll(files);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = IngestCommand.run(args.toArray(new String[0]), Map.of(
                    "FIELDSTREAM_BOOTSTRAP_SERVERS", kafka.bootstrap,
                    "FIELDSTREAM_TOPIC_PREFIX", kafka.topics.prefix(),
                    "FIELDSTREAM_SECRET_SHOUHARDO3", SECRETS.get("shouhardo3"),
                    "FIELDSTREAM_SECRET_IID_EDU", SECRETS.get("iid-edu")), new PrintStream(out), new PrintStream(err));
            assertEquals(IngestCommand.OK, status, err.toString(StandardCharsets.UTF_8));
        }
    }

    /** Expected rows as family/key -> "field=value ..." over the expected fields. */
    private static Map<String, String> render(ExpectedMetrics expected) {
        Map<String, String> out = new TreeMap<>();
        for (MetricFamily f : MetricFamily.values()) {
            expected.family(f).forEach((key, row) -> {
                StringBuilder sb = new StringBuilder();
                f.fields().forEach(field -> sb.append(field).append('=').append(row.get(field)).append(' '));
                out.put(f.familyName() + "/" + key, sb.toString());
            });
        }
        return out;
    }

    /**
     * Live streamed rows rendered over the same fields, keyed like the expectation by the row's own
     * key fields (the partner's cohort and dialogue ids); the topic keys carry the aggregate ids
     * {@code <program>/<partner>/<id>}, which the generator's partners never share.
     */
    private static Map<String, String> streamed(ItKafka kafka) {
        Map<String, Map<String, SpecificRecordBase>> metrics = kafka.readMetrics();
        Map<String, String> out = new TreeMap<>();
        for (MetricFamily f : MetricFamily.values()) {
            String topic = kafka.topics.name("metrics." + f.familyName().replace('_', '-'));
            Map<String, SpecificRecordBase> rows = metrics.get(topic);
            assertFalse(rows == null, "no topic " + topic);
            rows.forEach((key, row) -> {
                if (!(Boolean) row.get("deleted")) {
                    Map<String, Object> values = new HashMap<>();
                    StringBuilder sb = new StringBuilder();
                    f.fields().forEach(field -> {
                        values.put(field, row.get(field));
                        sb.append(field).append('=').append(row.get(field)).append(' ');
                    });
                    out.put(f.familyName() + "/" + f.key(values), sb.toString());
                }
            });
        }
        return out;
    }
}
