package org.fieldstream.producers.bench;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.ProducerPerformanceTool;
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
 * Not a test: {@code IngestBenchmark [rows, default 200000] [rounds, default 2] [bootstrap servers; default: a
 * local broker]}. Writes an attendance CSV of {@code rows} rows (plus its cohorts), measures (1) parse +
 * validate + pseudonymise + build + serialize without Kafka, then in each round, on fresh topics of the
 * same broker: (2) the whole ingest to Kafka until every send is acknowledged, (3) Kafka's own
 * {@code ProducerPerformance} (child JVM) with the same record count, the mean serialized event size and
 * the ingest's producer properties (the Kafka baseline), and (4) a raw KafkaProducer with the same
 * properties sending the same serialized events as bytes with the same keys, the tighter ceiling. Producer
 * settings come from the environment as usual (FIELDSTREAM_PRODUCER_LINGER_MS, _BATCH_SIZE,
 * _COMPRESSION_TYPE). Next to the rates it prints the ingest JVM's CPU time per event, all threads and
 * the caller's thread alone, which stays comparable when other work shares the machine.
 */
public final class IngestBenchmark {

    private static final int PARTITIONS = 3;
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * One round's rates, each over the same record count, and the ingest JVM's CPU per event (all its
     * threads, and the caller's thread alone): CPU time does not depend on what else the machine runs.
     */
    private record Round(double ingest, long accepted, double producerPerformance, double raw, double cpuMicros,
                         double callerCpuMicros) {
    }

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String bootstrap = args.length > 2 ? args[2] : TestServices.kafka().bootstrapServers();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("FIELDSTREAM_BOOTSTRAP_SERVERS", bootstrap);
        ProducerSettings settings = ProducerSettings.load(null, env);
        Path dir = Files.createTempDirectory("ingest-bench");
        int cohorts = Math.max(1, rows / 300);
        Path cohortFile = dir.resolve("cohorts.csv");
        Path attendanceFile = dir.resolve("attendance.csv");
        writeFiles(cohortFile, attendanceFile, cohorts, rows);
        long fileBytes = Files.size(attendanceFile);

        // (1) CPU only, after one unmeasured pass to warm the JIT
        Topics cpuTopics = Topics.DEFAULT;
        KnownAggregates known = new KnownAggregates(1_000_000);
        RowConverter converter = converter(known);
        convertAll(cohortFile, converter, known, null);
        convertAll(attendanceFile, converter, known, event -> cpuTopics.events.valueSerde().serializer()
                .serialize(cpuTopics.events.name(), event));
        long t0 = System.nanoTime();
        List<byte[]> sample = new ArrayList<>();
        long[] bytes = new long[1];
        convertAll(attendanceFile, converter, known, event -> {
            byte[] encoded = cpuTopics.events.valueSerde().serializer().serialize(cpuTopics.events.name(), event);
            bytes[0] += encoded.length;
            if (sample.size() < 10_000) {
                sample.add(encoded);
            }
        });
        double cpuSeconds = (System.nanoTime() - t0) / 1e9;
        int recordSize = (int) Math.round((double) bytes[0] / rows);

        System.out.printf(Locale.ROOT, "records: %,d attendance rows, CSV %.1f MB, mean event %d bytes, %d partitions%n",
                rows, fileBytes / 1e6, recordSize, PARTITIONS);
        System.out.printf(Locale.ROOT, "producer: acks=all idempotent linger.ms=%s batch.size=%s compression=%s%n",
                settings.get(SettingKeys.PRODUCER_LINGER_MS), settings.get(SettingKeys.PRODUCER_BATCH_SIZE),
                settings.get(SettingKeys.PRODUCER_COMPRESSION_TYPE));
        System.out.printf(Locale.ROOT, "parse+validate+build+serialize (no Kafka, one thread): %,.0f rows/s%n",
                rows / cpuSeconds);
        System.out.printf(Locale.ROOT, "%-6s %16s %22s %20s %10s %11s %18s%n", "round", "ingest events/s",
                "ProducerPerformance/s", "raw KafkaProducer/s", "ingest/PP", "ingest/raw", "ingest CPU us/event");
        for (int round = 1; round <= rounds; round++) {
            Topics topics = new Topics("bench-" + UUID.randomUUID().toString().substring(0, 8) + ".");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicSetup.ensure(admin, topics, PARTITIONS, (short) 1);
                TopicSetup.ensure(admin, List.of(topics.name("bench-raw")), PARTITIONS, (short) 1);
            }
            Round r = round(settings, topics, cohortFile, attendanceFile, rows, cohorts, recordSize, sample, dir);
            if (r.accepted() != rows) {
                throw new IllegalStateException("ingest accepted " + r.accepted() + " of " + rows + " rows");
            }
            System.out.printf(Locale.ROOT, "%-6d %,16.0f %,22.0f %,20.0f %10.2f %11.2f %18s%n", round, r.ingest(),
                    r.producerPerformance(), r.raw(), r.ingest() / r.producerPerformance(), r.ingest() / r.raw(),
                    String.format(Locale.ROOT, "%.2f (caller %.2f)", r.cpuMicros(), r.callerCpuMicros()));
        }
        Files.delete(cohortFile);
        Files.delete(attendanceFile);
        try (var logs = Files.list(dir)) {
            for (Path log : logs.toList()) {
                Files.delete(log);
            }
        }
        Files.delete(dir);
        System.exit(0);
    }

    private static Round round(ProducerSettings settings, Topics topics, Path cohortFile, Path attendanceFile, int rows,
                               int cohorts, int recordSize, List<byte[]> sample, Path dir) throws Exception {
        KnownAggregates known = new KnownAggregates(1_000_000);
        RowConverter converter = converter(known);
        double ingestSeconds;
        double cpuMicros;
        double callerCpuMicros;
        Ingest.Result result;
        try (KafkaProducer<String, FieldEvent> events = KafkaClients.producer(settings, topics.events, "bench");
             KafkaProducer<String, RejectedRecord> rejected = KafkaClients.producer(settings, topics.rejected, "bench-rej")) {
            EventPublisher publisher = new EventPublisher(events, rejected, topics);
            Ingest ingest = new Ingest(converter, known, publisher, Progress.silent());
            run(ingest, cohortFile);
            publisher.flush();
            long cpu0 = PROCESS.getProcessCpuTime();
            long caller0 = THREADS.getCurrentThreadCpuTime();
            long t1 = System.nanoTime();
            result = run(ingest, attendanceFile);
            publisher.flush();
            ingestSeconds = (System.nanoTime() - t1) / 1e9;
            cpuMicros = (PROCESS.getProcessCpuTime() - cpu0) / 1e3 / rows;
            callerCpuMicros = (THREADS.getCurrentThreadCpuTime() - caller0) / 1e3 / rows;
        }
        ProducerPerformanceTool.Total pp = producerPerformance(settings, topics.name("bench-pp"), rows, recordSize,
                dir.resolve("producer-performance-" + UUID.randomUUID() + ".log"));
        double rawSeconds = raw(settings, topics.name("bench-raw"), rows, cohorts, sample);
        return new Round(rows / ingestSeconds, result.accepted(), pp.recordsPerSecond(), rows / rawSeconds, cpuMicros,
                callerCpuMicros);
    }

    /** Kafka's ProducerPerformance with exactly the ingest's producer properties, on a topic like the events topic. */
    private static ProducerPerformanceTool.Total producerPerformance(ProducerSettings settings, String topic, int rows, int recordSize,
                                                                     Path log) {
        Properties producer = KafkaClients.producerProperties(settings, "bench-pp");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                producer.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)))) {
            TopicSetup.ensure(admin, List.of(topic), PARTITIONS, (short) 1);
        }
        return ProducerPerformanceTool.run(producer, topic, rows, recordSize, log);
    }

    /** Sends {@code rows} of the sampled serialized events with the bench's cohort keys; seconds until acked. */
    private static double raw(ProducerSettings settings, String topic, int rows, int cohorts, List<byte[]> sample) {
        try (Producer<byte[], byte[]> raw = new KafkaProducer<>(KafkaClients.producerProperties(settings, "bench-raw"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[][] keys = new byte[cohorts][];
            for (int c = 0; c < cohorts; c++) {
                keys[c] = ("BENCH-" + c).getBytes(StandardCharsets.UTF_8);
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < rows; i++) {
                raw.send(new ProducerRecord<>(topic, keys[i % cohorts], sample.get(i % sample.size())));
            }
            raw.flush();
            return (System.nanoTime() - t2) / 1e9;
        }
    }

    private static RowConverter converter(KnownAggregates known) {
        Pseudonymizer pseudonymizer = new Pseudonymizer("bench", "bench-program-secret-0001".getBytes(StandardCharsets.UTF_8));
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
