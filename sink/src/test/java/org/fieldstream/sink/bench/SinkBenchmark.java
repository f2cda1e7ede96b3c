package org.fieldstream.sink.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.AttendanceRecorded;
import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.AvroCodec;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.StageCommand;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.schema.Migrations;
import org.fieldstream.sink.ClickHouseTableWriter;
import org.fieldstream.sink.KafkaDeadLetters;
import org.fieldstream.sink.SinkLoop;
import org.fieldstream.sink.SinkMain;
import org.fieldstream.sink.SinkSettings;
import org.fieldstream.sink.TableMappings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Benchmark, not a test: N field events through the sink (Kafka to field_events) next to a raw
 * {@code clickhouse-client INSERT ... FORMAT TabSeparated} of the same rows, in the same run.
 * The sink runs with its default batch bounds. Usage:
 * {@code SinkBenchmark <bootstrap> <clickhouse-http-url> <clickhouse-tcp-port> [rows]}.
 */
@Command(name = "sink-benchmark", mixinStandardHelpOptions = true,
        description = "N field events through the sink next to a raw clickhouse-client INSERT of the same rows.")
public final class SinkBenchmark implements Callable<Integer> {

    /** Rows per second of both paths, and the machine's 1-minute load average when the run began. */
    public record Result(long rows, double sinkRowsPerSecond, double rawRowsPerSecond, double loadAverage) {
        public double ratio() {
            return sinkRowsPerSecond / rawRowsPerSecond;
        }

        @Override
        public String toString() {
            return String.format("rows=%d sink_rows_per_s=%.0f raw_clickhouse_client_rows_per_s=%.0f ratio=%.2f load=%.2f",
                    rows, sinkRowsPerSecond, rawRowsPerSecond, ratio(), loadAverage);
        }
    }

    /** Enough rows that a few batches flow back to back and the last, partial batch's wait matters little. */
    public static final int DEFAULT_ROWS = 1_000_000;

    @Parameters(index = "0", paramLabel = "BOOTSTRAP", description = "Kafka bootstrap servers")
    private String bootstrap;
    @Parameters(index = "1", paramLabel = "CLICKHOUSE_URL", description = "ClickHouse HTTP endpoint")
    private String clickHouseUrl;
    @Parameters(index = "2", paramLabel = "TCP_PORT", description = "ClickHouse native port (clickhouse-client baseline)")
    private int tcpPort;
    @Parameters(index = "3", arity = "0..1", paramLabel = "ROWS", defaultValue = "" + DEFAULT_ROWS,
            description = "rows written (default: ${DEFAULT-VALUE})")
    private int rows;

    public static void main(String[] args) {
        StageCommand.exit(StageCommand.execute(new SinkBenchmark(), args));
    }

    @Override
    public Integer call() throws Exception {
        System.out.println(run(bootstrap, clickHouseUrl, tcpPort, rows));
        return 0;
    }

    public static Result run(String bootstrap, String clickHouseUrl, int tcpPort, int rows) throws Exception {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Topics topics = new Topics("bench-" + id + ".");
        String database = "bench_" + id;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             ClickHouseGateway gateway = new ClickHouseGateway(clickHouseUrl, "default", "")) {
            TopicSetup.ensure(admin, topics, 2, (short) 1);
            Migrations.apply(gateway, database);
            produce(bootstrap, topics, rows);
            double sink = sink(settings(bootstrap, clickHouseUrl, topics, database), gateway, database, rows);
            double raw = raw(gateway, database, clickHouseUrl, tcpPort, rows);
            gateway.execute("DROP DATABASE IF EXISTS " + database);
            admin.deleteTopics(TableMappings.topicNames(topics)).all().get(30, TimeUnit.SECONDS);
            return new Result(rows, sink, raw, load);
        }
    }

    private static SinkSettings settings(String bootstrap, String url, Topics topics, String database) {
        Map<String, String> values = new HashMap<>();
        values.put(SettingKeys.BOOTSTRAP_SERVERS.key(), bootstrap);
        values.put(SettingKeys.TOPIC_PREFIX.key(), topics.prefix());
        values.put(SettingKeys.SINK_GROUP_ID.key(), "bench-" + database);
        values.put(SettingKeys.CLICKHOUSE_URL.key(), url);
        values.put(SettingKeys.CLICKHOUSE_USER.key(), "default");
        values.put(SettingKeys.CLICKHOUSE_DATABASE.key(), database);
        // batch bounds: the sink's defaults, as deployed
        values.put(SettingKeys.SINK_BATCH_ROWS.key(), SettingKeys.SINK_BATCH_ROWS.defaultValue());
        values.put(SettingKeys.SINK_BATCH_MS.key(), SettingKeys.SINK_BATCH_MS.defaultValue());
        values.put(SettingKeys.SINK_BACKOFF_MAX_MS.key(), "5000");
        values.put(SettingKeys.SINK_STATS_INTERVAL_MS.key(), "5000");
        values.put(SettingKeys.SINK_SESSION_TIMEOUT_MS.key(), "10000");
        return SinkSettings.of(values);
    }

    private static void produce(String bootstrap, Topics topics, int rows) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, "10", ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        AvroCodec<FieldEvent> codec = AvroCodec.of(FieldEvent.class);
        Instant t = Instant.parse("2026-03-02T08:00:00Z");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < rows; i++) {
                String cohort = "C" + (i % 500);
                FieldEvent event = FieldEvent.newBuilder().setEventId("e-" + i).setRootId("r-" + i).setRevision(1)
                        .setProgramId("P1").setPartnerId("PN" + (i % 7)).setOrgUnitId("U" + (i % 50)).setAggregateId(cohort)
                        .setOccurredAt(t.plusSeconds(i)).setReceivedAt(t.plusSeconds(i + 60)).setSource("csv")
                        .setSourceRef("bench.csv:" + i)
                        .setPayload(AttendanceRecorded.newBuilder().setCohortId(cohort).setSessionNumber(1 + i % 12)
                                .setPersonId("p" + i).setStatus(AttendanceStatus.PRESENT).build())
                        .build();
                producer.send(new ProducerRecord<>(topics.events.name(), cohort, codec.encode(event)));
            }
            producer.flush();
        }
    }

    /** Rows per second from the first written batch to the last (group join and start excluded). */
    private static double sink(SinkSettings settings, ClickHouseGateway gateway, String database, int rows) throws Exception {
        Topics topics = new Topics(settings.topicPrefix());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(SinkMain.consumerConfig(settings));
             KafkaDeadLetters deadLetters = new KafkaDeadLetters(new KafkaProducer<>(SinkMain.producerConfig(settings)),
                     topics.deadLetters.name());
             ClickHouseTableWriter writer = new ClickHouseTableWriter(
                     new ClickHouseGateway(settings.clickHouseUrl(), settings.clickHouseUser(), settings.clickHousePassword()),
                     database)) {
            ExecutorService writeStage = SinkLoop.writeThread(settings.groupId());
            SinkLoop loop = new SinkLoop(consumer, writer, deadLetters, TableMappings.of(topics), settings.groupId(),
                    settings.loopOptions(), System::currentTimeMillis, writeStage);
            Thread thread = new Thread(loop, "bench-sink");
            thread.start();
            long firstRows;
            long start;
            while ((firstRows = loop.stats().getRowsWritten()) == 0) {
                Thread.sleep(5);
            }
            start = System.nanoTime();
            while (loop.stats().getRowsWritten() < rows) {
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            loop.stop();
            thread.join(30_000);
            writeStage.shutdown();
            return (rows - firstRows) / seconds;
        }
    }

    /** The same rows exported from field_events and inserted again by clickhouse-client over TCP. */
    private static double raw(ClickHouseGateway gateway, String database, String url, int tcpPort, int rows)
            throws IOException, InterruptedException {
        gateway.execute("CREATE TABLE " + database + ".field_events_raw AS " + database + ".field_events");
        Path file = Files.createTempFile("sink-bench", ".tsv");
        try {
            String host = URI.create(url).getHost();
            exec(List.of("clickhouse-client", "--host", host, "--port", Integer.toString(tcpPort), "--query",
                    "SELECT * FROM " + database + ".field_events FORMAT TabSeparated"), null, file);
            long start = System.nanoTime();
            exec(List.of("clickhouse-client", "--host", host, "--port", Integer.toString(tcpPort), "--query",
                    "INSERT INTO " + database + ".field_events_raw FORMAT TabSeparated"), file, null);
            double seconds = (System.nanoTime() - start) / 1e9;
            long copied = Long.parseLong(gateway.queryValue("SELECT count() FROM " + database + ".field_events_raw"));
            if (copied < rows) {
                throw new IllegalStateException("raw insert copied " + copied + " of " + rows + " rows");
            }
            return copied / seconds;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void exec(List<String> command, Path in, Path out) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (in != null) {
            builder.redirectInput(in.toFile());
        }
        if (out != null) {
            builder.redirectOutput(out.toFile());
        }
        Process process = builder.start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command.get(0) + " failed with exit code " + process.exitValue()
                    + (out == null ? "" : ": " + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)));
        }
    }
}
