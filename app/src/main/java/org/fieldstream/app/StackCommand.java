package org.fieldstream.app;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.LogRetention;
import org.fieldstream.events.ClickHouseLogin;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.Topics;
import org.fieldstream.reports.TextTable;
import org.fieldstream.streams.StreamsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fieldstream up | down | status}: the local stack of {@link LocalStack}. */
final class StackCommand {

    private StackCommand() {
    }

    /** The stack's directory option, shared by the three commands. */
    static final class Where {
        @Option(names = "--data", paramLabel = "DIR", description = "where the stack keeps its data (default: var/ of the installation)")
        Path data;

        LocalStack stack() {
            return new LocalStack(data == null ? LocalStack.defaultRoot() : data);
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start (or reuse) a local Kafka, ClickHouse, and the supervised streams, sink, push endpoint and dashboard "
                    + "with persistent data; prints the endpoints and leaves them running.")
    static final class Up implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Where where = new Where();
        @Option(names = "--foreground", description = "stay in the foreground; Ctrl-C stops everything")
        boolean foreground;

        @Override
        public Integer call() throws InterruptedException {
            LocalStack stack = where.stack();
            Map<String, String> endpoints = stack.up(System.out);
            System.out.println();
            endpoints.forEach((name, value) -> System.out.printf("  %-14s %s%n", name, value));
            System.out.println();
            System.out.println("next: ./fieldstream generate DIR, then ./fieldstream ingest --program P --partner X FILE...,"
                    + " ./fieldstream report retention, ./fieldstream status; stop with ./fieldstream down");
            System.out.println("the dashboard asks for an analyst's account: ./fieldstream analyst add NAME --role partner --program P --partner X"
                    + " prints its user= and password=");
            if (foreground) {
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    System.out.println("stopping: " + stack.down());
                    stopped.countDown();
                }, "fieldstream-up-foreground"));
                stopped.await();
            }
            return 0;
        }
    }

    @Command(name = "supervise", hidden = true, description = "Run and restart the local stack's stages (started by up, stopped by down).")
    static final class Supervise implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Where where = new Where();

        @Override
        public Integer call() {
            return StageSupervisor.run(where.stack());
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop every process of the local stack; its data stays.")
    static final class Down implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Where where = new Where();

        @Override
        public Integer call() {
            List<String> stopped = where.stack().down();
            System.out.println(stopped.isEmpty() ? "nothing was running" : "stopped " + String.join(", ", stopped));
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Each process (pid, restarts, last error), disk used and free, consumer lag, rows landed, last event time, "
                    + "rejected and dead-lettered counts.")
    static final class Status implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Where where = new Where();

        @Override
        public Integer call() {
            LocalStack stack = where.stack();
            if (!stack.initialised()) {
                System.out.println("no local stack in " + stack.settingsFile().getParent() + " (start one with ./fieldstream up)");
                return 1;
            }
            return print(stack, System.out) ? 0 : 1;
        }
    }

    /** Prints the status; false when a process of the stack is not running. */
    static boolean print(LocalStack stack, PrintStream out) {
        Map<String, Boolean> processes = new LinkedHashMap<>();
        List<Map<String, String>> rows = new ArrayList<>();
        for (LocalStack.ProcessState p : stack.processStates()) {
            processes.put(p.name(), p.running());
            boolean stage = LocalStack.STAGES.contains(p.name());
            rows.add(row("process", p.name(), "state", p.running() ? "running" : "stopped",
                    "pid", p.running() ? Long.toString(p.pid().getAsLong()) : "-",
                    "restarts", stage ? Integer.toString(p.restarts()) : "-",
                    "last_exit", p.lastExit() == null ? "-" : p.lastExit().toString(),
                    "last_error", p.lastError().isEmpty() ? "-" : p.lastError()));
        }
        out.println("Processes");
        TextTable.print(rows, out);
        out.println();
        out.println("Disk");
        List<Map<String, String>> disk = new ArrayList<>();
        stack.diskUsage().forEach((folder, bytes) -> disk.add(row("data", folder, "bytes", DiskUsage.human(bytes))));
        TextTable.print(disk, out);
        Map<String, String> settings = stack.values();
        if (processes.get("kafka")) {
            out.println();
            out.println("Kafka");
            kafka(settings, out);
        }
        if (processes.get("clickhouse")) {
            out.println();
            out.println("ClickHouse");
            clickHouse(settings, out);
        }
        return !processes.containsValue(false);
    }

    private static void kafka(Map<String, String> settings, PrintStream out) {
        Map<String, Object> kafka = KafkaAccess.clients(settings);
        Topics topics = new Topics(settings.get(SettingKeys.TOPIC_PREFIX.key()));
        List<Map<String, String>> lag = new ArrayList<>();
        try (Admin admin = Admin.create(kafka)) {
            LogRetention.lostRecords(admin, topics.events.name()).ifPresent(line -> out.println("  " + line));
            for (String group : List.of(StreamsSettings.kafkaApplicationId(settings.get(SettingKeys.STREAMS_APPLICATION_ID.key())),
                    settings.get(SettingKeys.SINK_GROUP_ID.key()))) {
                lag.add(row("consumer_group", group, "lag", lag(admin, kafka, group)));
            }
        } catch (ExecutionException e) {
            out.println("  cannot read consumer lag: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        TextTable.print(lag, out);
        Map<String, Long> rejected = countByKey(kafka, topics.rejected.name());
        List<Map<String, String>> byPartner = new ArrayList<>();
        rejected.forEach((partner, count) -> byPartner.add(row("partner", partner, "rejected_rows", Long.toString(count))));
        out.println();
        if (byPartner.isEmpty()) {
            out.println("  no rejected rows");
        } else {
            TextTable.print(byPartner, out);
        }
    }

    /**
     * Records {@code group} has not processed yet, counted by reading them as a read_committed consumer
     * would (offsets alone would count transaction markers of the metric topics as records); counting
     * stops at {@link #LAG_COUNT_LIMIT}, shown as "at least".
     */
    private static String lag(Admin admin, Map<String, Object> kafka, String group) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> from = new HashMap<>();
        committed.forEach((tp, offset) -> {
            if (offset != null) {
                from.put(tp, offset.offset());
            }
        });
        if (from.isEmpty()) {
            return "0";
        }
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            Map<TopicPartition, Long> end = consumer.endOffsets(from.keySet());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (from.keySet().stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && count < LAG_COUNT_LIMIT && System.nanoTime() < deadline) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            boolean complete = from.keySet().stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            return complete ? Long.toString(count) : "at least " + count;
        }
    }

    private static final long LAG_COUNT_LIMIT = 100_000;

    /** Records per key of a topic, read from the beginning to its end now. */
    private static Map<String, Long> countByKey(Map<String, Object> kafka, String topic) {
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Long> counts = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    counts.merge(r.key() == null ? "(none)" : new String(r.key(), StandardCharsets.UTF_8), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    private static void clickHouse(Map<String, String> settings, PrintStream out) {
        String db = settings.get(SettingKeys.CLICKHOUSE_DATABASE.key());
        ClickHouseLogin reader = ClickHouseLogin.reader(settings);
        try (ClickHouseGateway gateway = new ClickHouseGateway(settings.get(SettingKeys.CLICKHOUSE_URL.key()), reader.user(), reader.password())) {
            Map<String, String> landed = gateway.query("SELECT uniqExact(event_id) AS events_landed, "
                    + "toString(max(occurred_at)) AS last_event_time, toString(max(received_at)) AS last_received FROM " + db + ".field_events").get(0);
            TextTable.print(List.of(landed), out);
            List<Map<String, String>> dead = gateway.query("SELECT stage, failed_topic, count() AS dead_letters FROM " + db
                    + ".v_dead_letters GROUP BY stage, failed_topic ORDER BY stage, failed_topic");
            out.println();
            if (dead.isEmpty()) {
                out.println("  no dead letters");
            } else {
                TextTable.print(dead, out);
            }
        } catch (ClickHouseGateway.ClickHouseFailure e) {
            out.println("  cannot read ClickHouse: " + e.getMessage());
        }
    }

    private static Map<String, String> row(String... pairs) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put(pairs[i], pairs[i + 1]);
        }
        return row;
    }
}
