package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.TestServices;
import org.fieldstream.producers.csv.CsvRowSource;
import org.fieldstream.producers.json.JsonLinesSource;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.reference.ReferenceLoader;
import org.fieldstream.seeds.ScenarioGenerator;
import org.fieldstream.seeds.Size;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeds' tiny scenario ingested twice through the real command on the real broker: the same event
 * ids both times, the rejected topic holding exactly the planted malformed rows, and no person key,
 * name, phone or national id in any byte of either topic.
 */
class ScenarioIngestIT {

    private static final String SECRET_SHOUHARDO = "it-secret-shouhardo3-0001";
    private static final String SECRET_IID = "it-secret-iid-edu-000001";

    @TempDir
    static Path dir;

    private static String bootstrap;
    private static Topics topics;
    private static ScenarioGenerator.Result scenario;
    private static ReferenceData reference;
    private static Map<String, Integer> firstIds;
    private static Map<String, Integer> bothIds;

    /** Ingests the scenario twice; the tests only read what that left on the topics. */
    @BeforeAll
    static void setUp() {
        bootstrap = TestServices.kafka().bootstrapServers();
        topics = new Topics("it-" + UUID.randomUUID() + ".");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicSetup.ensure(admin, topics, 3, (short) 1);
        }
        reference = ReferenceData.bundled();
        ReferenceLoader.publish(KafkaAccess.plain(bootstrap), topics, reference);
        scenario = new ScenarioGenerator(reference, 42, Size.TINY).generate(dir);
        ingestManifest();
        firstIds = eventIdCounts();
        ingestManifest();
        bothIds = eventIdCounts();
    }

    @Test
    void ingestingTwiceGivesSameEventIdsAndExactlyThePlantedRejections() {
        assertFalse(firstIds.isEmpty());
        assertEquals(firstIds.keySet(), bothIds.keySet(), "the second ingest published no new event id");
        firstIds.forEach((id, n) -> assertEquals(2 * n, bothIds.get(id), id));

        Map<String, Integer> expected = new TreeMap<>();
        Map<String, Long> timesInManifest = new HashMap<>();
        scenario.manifest().forEach(f -> timesInManifest.merge(f, 1L, Long::sum));
        for (ScenarioGenerator.PlantedRejection r : scenario.rejected()) {
            expected.merge(r.file() + ":" + r.line() + " " + r.field(), (int) (2 * timesInManifest.get(r.file())), Integer::sum);
        }
        Map<String, Integer> actual = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicReading.all(bootstrap, topics.rejected.name())) {
            RejectedRecord r = topics.rejected.valueSerde().deserializer().deserialize(record.topic(), record.value());
            actual.merge(r.getSourceRef() + " " + r.getField(), 1, Integer::sum);
        }
        assertEquals(expected, actual);
        assertEquals(10, scenario.rejected().size());
    }

    @Test
    void noPersonalValueInAnyByteOfTheTopicsAndPseudonymsWhereTheyBelong() throws Exception {
        Set<String> personal = personalValues();
        assertTrue(personal.size() > 100, "the scenario has person keys, names and phones: " + personal.size());
        List<byte[]> values = new ArrayList<>();
        TopicReading.all(bootstrap, topics.events.name()).forEach(r -> values.add(r.value()));
        TopicReading.all(bootstrap, topics.rejected.name()).forEach(r -> values.add(r.value()));
        for (byte[] value : values) {
            String text = new String(value, StandardCharsets.ISO_8859_1);
            for (String word : personal) {
                assertFalse(text.contains(word), "a published record contains a personal value");
            }
        }
        Pseudonymizer pseudonymizer = new Pseudonymizer("shouhardo3", SECRET_SHOUHARDO.getBytes(StandardCharsets.UTF_8));
        Set<String> enrolled = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicReading.all(bootstrap, topics.events.name())) {
            FieldEvent e = topics.events.valueSerde().deserializer().deserialize(record.topic(), record.value());
            assertEquals(e.getAggregateId(), new String(record.key(), StandardCharsets.UTF_8));
            if (e.getPayload() instanceof ParticipantEnrolled p) {
                enrolled.add(p.getPersonId());
            }
        }
        assertTrue(enrolled.contains(pseudonymizer.personId("MMS-Y-000000")), "enrolment of MMS-Y-000000 under its pseudonym");
    }

    private static Map<String, Integer> eventIdCounts() {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : TopicReading.all(bootstrap, topics.events.name())) {
            FieldEvent e = topics.events.valueSerde().deserializer().deserialize(record.topic(), record.value());
            counts.merge(e.getEventId(), 1, Integer::sum);
        }
        return counts;
    }

    /** Runs the command over the manifest, one run per stretch of files of the same partner, in order. */
    private static void ingestManifest() {
        List<String> manifest = scenario.manifest();
        int i = 0;
        while (i < manifest.size()) {
            String partner = manifest.get(i).split("/")[0];
            List<String> files = new ArrayList<>();
            while (i < manifest.size() && manifest.get(i).startsWith(partner + "/")) {
                files.add(manifest.get(i++));
            }
            String program = reference.partner(partner).orElseThrow().getProgramId();
            List<String> args = new ArrayList<>(List.of("ingest", "--program", program, "--partner", partner,
                    "--base", dir.toString()));
            args.addAll(files);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = IngestCommand.run(args.toArray(new String[0]), Map.of(
                    "FIELDSTREAM_BOOTSTRAP_SERVERS", bootstrap,
                    "FIELDSTREAM_TOPIC_PREFIX", topics.prefix(),
                    "FIELDSTREAM_SECRET_SHOUHARDO3", SECRET_SHOUHARDO,
                    "FIELDSTREAM_SECRET_IID_EDU", SECRET_IID), new PrintStream(out), new PrintStream(err));
            assertEquals(IngestCommand.OK, status, err.toString(StandardCharsets.UTF_8));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("total: "), out.toString(StandardCharsets.UTF_8));
        }
    }

    /** Every person key, name, phone and national id in the scenario's files. */
    private static Set<String> personalValues() throws Exception {
        Set<String> values = new HashSet<>();
        for (String file : scenario.files()) {
            try (InputStream in = Files.newInputStream(dir.resolve(file));
                 RowSource source = file.endsWith(".csv") ? CsvRowSource.open(in, file, null, false)
                         : new JsonLinesSource(in, file, null, false)) {
                for (SourceRow row = source.next(); row != null; row = source.next()) {
                    for (String column : Layout.PERSONAL) {
                        String v = row.get(column);
                        if (v != null && v.length() >= 6) {
                            values.add(new String(v.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
                        }
                    }
                }
            }
        }
        return values;
    }
}
