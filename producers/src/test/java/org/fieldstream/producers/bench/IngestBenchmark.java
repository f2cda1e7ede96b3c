package org.fieldstream.producers.bench;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.TestServices;
import org.fieldstream.producers.EventPublisher;
import org.fieldstream.producers.Ingest;
import org.fieldstream.producers.KafkaClients;
import org.fieldstream.producers.KnownAggregates;
import org.fieldstream.producers.Outcome;
import org.fieldstream.producers.ProducerSettings;
import org.fieldstream.producers.Progress;
import org.fieldstream.producers.Pseudonymizer;
import org.fieldstream.producers.RowConverter;
import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.csv.CsvRowSource;

/**
 * Not a test: {@code IngestBenchmark [rows, default 200000] [bootstrap servers; default: a local broker]}.
 * Writes an attendance CSV of {@code rows} rows (plus its cohorts), then measures (1) parse + validate +
 * pseudonymise + build events without Kafka, (2) the whole ingest to Kafka until every send is
 * acknowledged, and (3) a raw KafkaProducer with the same settings sending the same serialized events
 * as bytes, the ceiling for (2). Producer settings come from the environment as usual
 * (FIELDSTREAM_PRODUCER_LINGER_MS, _BATCH_SIZE, _COMPRESSION_TYPE).
 */
public final class IngestBenchmark {

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        String bootstrap = args.length > 1 ? args[1] : TestServices.kafka().bootstrapServers();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("FIELDSTREAM_BOOTSTRAP_SERVERS", bootstrap);
        ProducerSettings settings = ProducerSettings.load(null, env);
        Topics topics = new Topics("bench-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicSetup.ensure(admin, topics, 3, (short) 1);
            admin.createTopics(List.of(new NewTopic(topics.name("bench-raw"), 3, (short) 1))).all().get();
        }
        Path dir = Files.createTempDirectory("ingest-bench");
        int cohorts = Math.max(1, rows / 300);
        Path cohortFile = dir.resolve("cohorts.csv");
        Path attendanceFile = dir.resolve("attendance.csv");
        writeFiles(cohortFile, attendanceFile, cohorts, rows);
        long fileBytes = Files.size(attendanceFile);

        Pseudonymizer pseudonymizer = new Pseudonymizer("bench", "bench-program-secret-0001".getBytes(StandardCharsets.UTF_8));
        // (1) CPU only, after one unmeasured pass to warm the JIT
        KnownAggregates known = new KnownAggregates(1_000_000);
        RowConverter converter = converter(pseudonymizer, known);
        convertAll(cohortFile, converter, known, null);
        convertAll(attendanceFile, converter, known, event -> topics.events.valueSerde().serializer()
                .serialize(topics.events.name(), event));
        long t0 = System.nanoTime();
        List<byte[]> sample = new ArrayList<>();
        long[] bytes = new long[1];
        convertAll(attendanceFile, converter, known, event -> {
            byte[] encoded = topics.events.valueSerde().serializer().serialize(topics.events.name(), event);
            bytes[0] += encoded.length;
            if (sample.size() < 10_000) {
                sample.add(encoded);
            }
        });
        double cpuSeconds = (System.nanoTime() - t0) / 1e9;

        // (2) the real ingest, to acknowledgement
        KnownAggregates known2 = new KnownAggregates(1_000_000);
        RowConverter converter2 = converter(pseudonymizer, known2);
        double ingestSeconds;
        Ingest.Result result;
        try (KafkaProducer<String, FieldEvent> events = KafkaClients.producer(settings, topics.events, "bench");
             KafkaProducer<String, RejectedRecord> rejected = KafkaClients.producer(settings, topics.rejected, "bench-rej")) {
            EventPublisher publisher = new EventPublisher(events, rejected, topics);
            Ingest ingest = new Ingest(converter2, known2, publisher, Progress.silent());
            run(ingest, cohortFile);
            publisher.flush();
            long t1 = System.nanoTime();
            result = run(ingest, attendanceFile);
            publisher.flush();
            ingestSeconds = (System.nanoTime() - t1) / 1e9;
        }

        // (3) raw producer, same settings, same bytes
        double rawSeconds;
        try (Producer<byte[], byte[]> raw = new KafkaProducer<>(KafkaClients.producerProperties(settings, "bench-raw"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            String topic = topics.name("bench-raw");
            byte[][] keys = new byte[cohorts][];
            for (int c = 0; c < cohorts; c++) {
                keys[c] = ("BENCH-" + c).getBytes(StandardCharsets.UTF_8);
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < rows; i++) {
                raw.send(new ProducerRecord<>(topic, keys[i % cohorts], sample.get(i % sample.size())));
            }
            raw.flush();
            rawSeconds = (System.nanoTime() - t2) / 1e9;
        }
        double avg = (double) bytes[0] / rows;
        System.out.printf(Locale.ROOT, "records: %,d attendance rows (%,d accepted), CSV %.1f MB, avg event %.0f bytes%n",
                rows, result.accepted(), fileBytes / 1e6, avg);
        System.out.printf(Locale.ROOT, "producer: acks=all idempotent linger.ms=%s batch.size=%s compression=%s%n",
                settings.get(ProducerSettings.LINGER_MS), settings.get(ProducerSettings.BATCH_SIZE),
                settings.get(ProducerSettings.COMPRESSION));
        System.out.printf(Locale.ROOT, "parse+validate+build (no Kafka): %,.0f rows/s%n", rows / cpuSeconds);
        System.out.printf(Locale.ROOT, "ingest to Kafka (acknowledged):  %,.0f events/s%n", rows / ingestSeconds);
        System.out.printf(Locale.ROOT, "raw KafkaProducer, same bytes:   %,.0f records/s (ingest = %.0f%% of raw)%n",
                rows / rawSeconds, 100 * rawSeconds / ingestSeconds);
        Files.delete(cohortFile);
        Files.delete(attendanceFile);
        Files.delete(dir);
        System.exit(0);
    }

    private static RowConverter converter(Pseudonymizer pseudonymizer, KnownAggregates known) {
        return new RowConverter("bench", "bench-partner", "csv", LocalDate.parse("2026-01-01"), pseudonymizer, known, 2,
                true, Clock.systemUTC());
    }

    private static Ingest.Result run(Ingest ingest, Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file); CsvRowSource source = CsvRowSource.open(in, file.getFileName().toString(), null, false)) {
            return ingest.run(source, source.layout());
        }
    }

    private static void convertAll(Path file, RowConverter converter, KnownAggregates known,
                                   java.util.function.Consumer<FieldEvent> sink) throws Exception {
        try (InputStream in = Files.newInputStream(file); CsvRowSource source = CsvRowSource.open(in, file.getFileName().toString(), null, false)) {
            for (SourceRow row = source.next(); row != null; row = source.next()) {
                Outcome o = converter.convert(row);
                if (o instanceof Outcome.Accepted a) {
                    known.learn(a.event());
                    if (sink != null) {
                        sink.accept(a.event());
                    }
                }
            }
        }
    }

    private static void writeFiles(Path cohortFile, Path attendanceFile, int cohorts, int rows) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(cohortFile)) {
            w.write("cohort_id,topic,planned_sessions,start_date,org_unit_id\n");
            for (int c = 0; c < cohorts; c++) {
                w.write("BENCH-" + c + ",Homestead gardening and nutrition,20,2026-02-01,bd-sirajganj-sadar\n");
            }
        }
        String[] statuses = {"present", "present", "present", "absent", "excused"};
        try (BufferedWriter w = Files.newBufferedWriter(attendanceFile)) {
            w.write("cohort_id,session_number,person_key,status,remarks\n");
            for (int i = 0; i < rows; i++) {
                int cohort = i % cohorts;
                w.write("BENCH-" + cohort + "," + (1 + (i / cohorts) % 20) + ",BENCH-P-" + (i % 25 + cohort * 25) + ","
                        + statuses[i % statuses.length] + ",\n");
            }
        }
    }
}
