package org.fieldstream.app.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.platform.ChildJvm;

/**
 * Kafka's own {@code ProducerPerformance} (kafka-tools) in a child JVM against the same broker, with
 * the pipeline's record size and count and the ingest's durability (acks=all, idempotent): the
 * ceiling for what the pipeline can take in.
 */
final class ProducerPerfBaseline {

    private static final Pattern TOTAL = Pattern.compile(
            "^(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency");

    /** The tool's final summary line. */
    record Total(long records, double recordsPerSecond, double megabytesPerSecond, double avgLatencyMs) {
    }

    private ProducerPerfBaseline() {
    }

    static Total run(String bootstrap, String topic, int partitions, long records, int recordSize, Path logFile) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            TopicSetup.awaitLeaders(admin, List.of(topic));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic, e);
        }
        ChildJvm tool = ChildJvm.start("producer-performance", "org.apache.kafka.tools.ProducerPerformance",
                List.of("-Xmx512m"),
                List.of("--topic", topic, "--num-records", Long.toString(records), "--record-size",
                        Integer.toString(recordSize), "--throughput", "-1", "--producer-props",
                        "bootstrap.servers=" + bootstrap, "acks=all", "enable.idempotence=true"),
                logFile);
        int code = tool.waitFor(Duration.ofMinutes(30));
        if (code != 0) {
            tool.kill();
            throw new IllegalStateException("ProducerPerformance exited with " + code + ":\n" + tool.logTail(20));
        }
        try {
            return parseLast(Files.readString(logFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
