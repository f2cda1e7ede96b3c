package org.fieldstream.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class ProducerPerformanceToolTest {

    @Test
    void passesEveryProducerPropertyButTheClientId() {
        Properties producer = new Properties();
        producer.put("bootstrap.servers", "127.0.0.1:1");
        producer.put("acks", "all");
        producer.put("enable.idempotence", true);
        producer.put("linger.ms", 7);
        producer.put("client.id", "ingest");
        List<String> args = ProducerPerformanceTool.arguments(producer, "t", 1000, 243);

        assertEquals(List.of("--topic", "t", "--num-records", "1000", "--record-size", "243", "--throughput", "-1",
                "--producer-props"), args.subList(0, 9));
        List<String> props = args.subList(9, args.size());
        assertTrue(props.containsAll(List.of("acks=all", "enable.idempotence=true", "linger.ms=7", "bootstrap.servers=127.0.0.1:1")),
                props.toString());
        assertFalse(props.stream().anyMatch(p -> p.startsWith("client.id=")), props.toString());
    }

    @Test
    void readsTheLastSummaryLine() {
        String output = """
                612345 records sent, 122469.0 records/sec (28.38 MB/sec), 95.2 ms avg latency, 310.0 ms max latency.
                parent-watch noise
                200000 records sent, 181818.2 records/sec (42.12 MB/sec), 80.10 ms avg latency, 312.00 ms max latency, \
                75 ms 50th, 200 ms 95th, 290 ms 99th, 311 ms 99.9th.
                """;
        ProducerPerformanceTool.Total total = ProducerPerformanceTool.parseLast(output);

        assertEquals(200_000, total.records());
        assertEquals(181_818.2, total.recordsPerSecond(), 1e-9);
        assertEquals(42.12, total.megabytesPerSecond(), 1e-9);
        assertEquals(80.10, total.avgLatencyMs(), 1e-9);
    }

    @Test
    void failsWithoutASummaryLine() {
        assertThrows(IllegalStateException.class, () -> ProducerPerformanceTool.parseLast("Exception in thread main"));
    }
}
