package org.fieldstream.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own {@code org.apache.kafka.tools.ProducerPerformance}, the raw baseline of the benchmarks,
 * in a child JVM (its {@code main} exits the JVM on bad arguments and prints to stdout). The caller's
 * classpath must hold kafka-tools; the topic must exist.
 */
public final class ProducerPerformanceTool {

    private static final Pattern TOTAL = Pattern.compile(
            "^(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency");

    /** The tool's final summary line. */
    public record Total(long records, double recordsPerSecond, double megabytesPerSecond, double avgLatencyMs) {
    }

    private ProducerPerformanceTool() {
    }

    /**
     * Sends {@code records} records of {@code recordSize} bytes to {@code topic} with {@code producer}'s
     * properties (bootstrap servers included; its client.id is left to the tool) and returns the total.
     */
    public static Total run(Properties producer, String topic, long records, int recordSize, Path logFile) {
        ChildJvm tool = ChildJvm.start("producer-performance", "org.apache.kafka.tools.ProducerPerformance",
                List.of("-Xmx512m"), arguments(producer, topic, records, recordSize), logFile);
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

    static List<String> arguments(Properties producer, String topic, long records, int recordSize) {
        List<String> args = new ArrayList<>(List.of("--topic", topic, "--num-records", Long.toString(records),
                "--record-size", Integer.toString(recordSize), "--throughput", "-1", "--producer-props"));
        // keySet, not stringPropertyNames: producer properties may hold Integer and Boolean values
        producer.keySet().stream().map(String::valueOf).sorted()
                .filter(key -> !key.equals("client.id"))
                .forEach(key -> args.add(key + "=" + producer.get(key)));
        return args;
    }

    /** The last summary line of the tool's output: the whole-run total, after the per-window lines. */
    public static Total parseLast(String output) {
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
