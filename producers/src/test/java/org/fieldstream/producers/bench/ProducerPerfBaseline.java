package org.fieldstream.producers.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.platform.ChildJvm;

/**
 * Kafka's own {@code org.apache.kafka.tools.ProducerPerformance} against the same broker, with the
 * ingest's record count, its mean serialized event size and exactly its producer properties (acks,
 * idempotence, linger, batch size, compression). It runs in a child JVM because its {@code main} exits
 * the JVM on bad arguments and prints to stdout.
 */
final class ProducerPerfBaseline {

    private static final Pattern TOTAL = Pattern.compile(
            "^(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency");

    /** The tool's final summary line. */
    record Total(long records, double recordsPerSecond, double megabytesPerSecond, double avgLatencyMs) {
    }

    private ProducerPerfBaseline() {
    }

    /**
     * Creates {@code topic} with {@code partitions} and sends {@code records} records of {@code recordSize}
     * bytes with {@code producer}'s properties (its client.id is left to the tool).
     */
    static Total run(Properties producer, String topic, int partitions, long records, int recordSize, Path logFile) {
        String bootstrap = producer.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            TopicSetup.awaitLeaders(admin, List.of(topic));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic, e);
        }
        ChildJvm tool = ChildJvm.start("producer-performance", "org.apache.kafka.tools.ProducerPerformance",
                List.of(), arguments(producer, topic, records, recordSize), logFile);
        int code = tool.waitFor(Duration.ofMinutes(30));
        if (code != 0) {
            throw new IllegalStateException("ProducerPerformance exited with " + code + ":\n" + tool.logTail(20));
        }
        try {
            return parseLast(Files.readString(logFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> arguments(Properties producer, String topic, long records, int recordSize) {
        List<String> args = new ArrayList<>(List.of("--topic", topic, "--num-records", Long.toString(records),
                "--record-size", Integer.toString(recordSize), "--throughput", "-1", "--producer-props"));
        // keySet, not stringPropertyNames: the ingest's properties hold Integer and Boolean values too
        producer.keySet().stream().map(String::valueOf).sorted()
                .filter(key -> !key.equals(ProducerConfig.CLIENT_ID_CONFIG))
                .forEach(key -> args.add(key + "=" + producer.get(key)));
        return args;
    }

    /** The last summary line of the tool's output: the whole-run total, after the per-window lines. */
    static Total parseLast(String output) {
        Total last = null;
        for (String line : output.lines().toList()) {
            Matcher m = TOTAL.matcher(line.strip());
            if (m.find()) {
                last = new Total(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)),
                        Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)));
            }
        }
        if (last == null) {
            throw new IllegalStateException("no ProducerPerformance summary line in its output");
        }
        return last;
    }
}
