package org.fieldstream.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class BenchPartsTest {

    @Test
    void percentilesAreNearestRank() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i; // 1..100, unsorted
        }
        assertEquals(50, Percentiles.of(values, 50));
        assertEquals(99, Percentiles.of(values, 99));
        assertEquals(100, Percentiles.of(values, 100));
        assertEquals(7, Percentiles.of(new double[] {7}, 99));
        assertEquals(2, Percentiles.of(new double[] {3, 1, 2}, 50));
        assertTrue(Double.isNaN(Percentiles.of(new double[0], 50)));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(values, 0));
    }

    @Test
    void heapInfoParsesTheWholeHeapLine() {
        String g1 = """
                12345:
                 garbage-first heap   total 1048576K, used 81234K [0x00000000c0000000, 0x0000000100000000)
                  region size 1024K, 3 young (3072K), 0 survivors (0K)
                 Metaspace       used 40000K, committed 41000K, reserved 1114112K
                """;
        assertEquals(81234 / 1024.0, MemoryProbe.parseHeapUsedMb(g1), 1e-9);
        assertTrue(Double.isNaN(MemoryProbe.parseHeapUsedMb("12345: no such process")));
    }

    @Test
    void caughtUpAllowsOneCommitMarkerOnlyOnTransactionalTopics() {
        TopicPartition events = new TopicPartition("events", 0);
        TopicPartition metric = new TopicPartition("metric", 0);
        Map<TopicPartition, Long> ends = Map.of(events, 10L, metric, 20L);
        assertTrue(Offsets.caughtUp(Map.of(events, 10L, metric, 19L), ends, java.util.Set.of("events")));
        assertFalse(Offsets.caughtUp(Map.of(events, 9L, metric, 20L), ends, java.util.Set.of("events")));
        assertFalse(Offsets.caughtUp(Map.of(events, 10L, metric, 18L), ends, java.util.Set.of("events")));
        assertEquals(29, Offsets.sum(Map.of(events, 10L, metric, 19L, new TopicPartition("events", 1), 19L), "events") - 0);
    }

    @Test
    void tableAndJsonCarryTheSameFigures() throws Exception {
        List<Figure> figures = List.of(
                new Figure("end-to-end events/s", 40_000, "events/s", "raw ProducerPerformance", 100_000, "ratio >= 0.33", true),
                new Figure("freshness p99", 2500.4, "ms", "", Double.NaN, "< 2000 ms", false),
                Figure.plain("sink RSS at 1M events", 412.25, "MB"));
        String table = BenchReport.table(figures);
        List<String> lines = table.lines().toList();
        assertEquals(5, lines.size());
        assertTrue(lines.get(0).startsWith("figure"));
        assertTrue(lines.get(2).contains("40,000") && lines.get(2).contains("100,000 (raw ProducerPerformance)")
                && lines.get(2).contains("0.40") && lines.get(2).endsWith("yes"));
        assertTrue(lines.get(3).contains("2,500") && lines.get(3).endsWith("NO"));
        // values line up: the value column ends at the same place in every data row
        int end = lines.get(2).indexOf("40,000") + "40,000".length();
        assertEquals(end, lines.get(3).indexOf("2,500") + "2,500".length());
        assertEquals(end, lines.get(4).indexOf("412") + "412".length());

        Map<String, String> context = new LinkedHashMap<>();
        context.put("events", "2000000");
        context.put("note", "say \"hi\"\n");
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(BenchReport.json(context, figures));
        assertEquals("2000000", json.get("context").get("events").asText());
        assertEquals("say \"hi\"\n", json.get("context").get("note").asText());
        com.fasterxml.jackson.databind.JsonNode e2e = json.get("figures").get(0);
        assertEquals("end-to-end events/s", e2e.get("name").asText());
        assertEquals(40000, e2e.get("value").asLong());
        assertEquals("raw ProducerPerformance", e2e.get("baseline_name").asText());
        assertEquals(100000, e2e.get("baseline").asLong());
        assertEquals(0.4, e2e.get("ratio").asDouble(), 1e-9);
        assertEquals("ratio >= 0.33", e2e.get("target").asText());
        assertTrue(e2e.get("met").asBoolean());
        com.fasterxml.jackson.databind.JsonNode latency = json.get("figures").get(1);
        assertEquals(2500.4, latency.get("value").asDouble(), 1e-9);
        assertTrue(latency.get("baseline").isNull() && latency.get("ratio").isNull(), latency.toString());
        assertFalse(latency.get("met").asBoolean(), latency.toString());
        assertTrue(json.get("figures").get(2).get("met").isNull(), json.get("figures").get(2).toString());
    }

    @Test
    void memoryFiguresCompareTheLastCheckpointWithTheFirst() {
        List<MemoryProbe.Sample> samples = List.of(
                new MemoryProbe.Sample("streams", 1_000_000, 700, 100),
                new MemoryProbe.Sample("clickhouse", 1_000_000, 300, Double.NaN),
                new MemoryProbe.Sample("streams", 2_000_000, 750, 140),
                new MemoryProbe.Sample("clickhouse", 2_000_000, 350, Double.NaN));
        List<Figure> figures = BenchFigures.memory(samples);
        Figure growth = figures.stream().filter(f -> f.name().equals("streams live heap growth 1M -> 2M")).findFirst().orElseThrow();
        assertEquals(1.4, growth.ratio(), 1e-9);
        assertEquals(Boolean.FALSE, growth.met());
        assertTrue(figures.stream().anyMatch(f -> f.name().equals("clickhouse RSS at 2M events") && f.value() == 350));
        assertTrue(figures.stream().noneMatch(f -> f.name().startsWith("clickhouse live heap")));
    }

    @Test
    void optionsAndCheckpoints() {
        BenchOptions defaults = BenchOptions.parse(new String[0]);
        assertEquals(2_000_000, defaults.events());
        assertEquals(300_000, BenchOptions.parse(new String[] {"--events", "300000", "--profile"}).events());
        assertFalse(defaults.cluster());
        assertTrue(BenchOptions.parse(new String[] {"--cluster"}).cluster());
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--events", "30000000"}));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--events"}));
        assertEquals(20, defaults.familyTries());
        assertEquals(5, BenchOptions.parse(new String[] {"--family-tries", "5"}).familyTries());
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--family-tries", "0"}));
        assertEquals(List.of(1_000_000L), Bench.checkpoints(2_000_000));
        assertEquals(List.of(1_000_000L, 10_000_000L), Bench.checkpoints(20_000_000));
        assertEquals(List.of(150_000L), Bench.checkpoints(300_000));
        assertEquals("1M", BenchFigures.count(1_000_000));
        assertEquals("2.5M", BenchFigures.count(2_500_000));
        assertEquals("150,000", BenchFigures.count(150_000));
    }

    @Test
    void familySummaryHasPercentilesMaxAndTheShareBeforeTheTopic() {
        List<FamilyFreshness.Sample> samples = new java.util.ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            samples.add(new FamilyFreshness.Sample(FamilyFreshness.Family.OUTREACH_TO_DATE, i * 5.0, i * 10.0));
        }
        samples.add(new FamilyFreshness.Sample(FamilyFreshness.Family.OUTREACH_TO_DATE, Double.NaN, Double.NaN)); // never seen
        samples.add(new FamilyFreshness.Sample(FamilyFreshness.Family.DIALOGUES, 300, 200)); // polled before the topic's consumer
        samples.add(new FamilyFreshness.Sample(FamilyFreshness.Family.DIALOGUES, Double.NaN, 400));
        List<FamilyFreshness.Summary> summaries = FamilyFreshness.summarize(samples);
        assertEquals(List.of(FamilyFreshness.Family.DIALOGUES, FamilyFreshness.Family.OUTREACH_TO_DATE),
                summaries.stream().map(FamilyFreshness.Summary::family).toList());
        FamilyFreshness.Summary outreach = summaries.get(1);
        assertEquals(101, outreach.samples());
        assertEquals(1, outreach.unseen());
        assertEquals(500, outreach.p50());
        assertEquals(990, outreach.p99());
        assertEquals(1000, outreach.max());
        assertEquals(250, outreach.onTopicP50());
        assertEquals(495, outreach.onTopicP99());
        assertEquals(0.5, outreach.shareBeforeTopic(), 1e-12);
        FamilyFreshness.Summary dialogues = summaries.get(0);
        assertEquals(0, dialogues.unseen());
        assertEquals(400, dialogues.max());
        assertEquals(1.0, dialogues.shareBeforeTopic(), 1e-12); // the topic's share never exceeds the whole
        assertTrue(Double.isNaN(FamilyFreshness.summary(FamilyFreshness.Family.COHORT_RETENTION,
                List.of(new FamilyFreshness.Sample(FamilyFreshness.Family.COHORT_RETENTION, 10, Double.NaN))).shareBeforeTopic()));
    }

    @Test
    void familyTableShowsIdleBesideLoadedPerFamily() {
        List<FamilyFreshness.Summary> idle = List.of(
                new FamilyFreshness.Summary(FamilyFreshness.Family.PARTICIPANT_PROGRESS, 20, 0, 412, 871, 902, 301, 655, 0.74),
                new FamilyFreshness.Summary(FamilyFreshness.Family.OUTREACH_TO_DATE, 40, 1, 1446, 1746, 1800, 1100, 1500, 0.8));
        List<FamilyFreshness.Summary> loaded = List.of(
                new FamilyFreshness.Summary(FamilyFreshness.Family.OUTREACH_TO_DATE, 38, 0, 2010, 3500, 3600, 1900, 3300, 0.91));
        List<String> lines = FamilyFreshness.table(idle, loaded, "at 2,136/s").lines().toList();
        assertEquals(4, lines.size());
        assertTrue(lines.get(0).startsWith("family") && lines.get(0).contains("at 2,136/s p50 / p99 / max ms"), lines.get(0));
        assertTrue(lines.get(1).matches("-+"));
        assertTrue(lines.get(2).startsWith("participant progress") && lines.get(2).contains("412 / 871 / 902")
                && lines.get(2).contains("301 / 655") && lines.get(2).contains("74 %") && lines.get(2).endsWith("20"), lines.get(2));
        assertTrue(lines.get(3).startsWith("outreach to date") && lines.get(3).contains("1,446 / 1,746 / 1,800")
                && lines.get(3).contains("40 (1 unseen)") && lines.get(3).contains("2,010 / 3,500 / 3,600")
                && lines.get(3).endsWith("38"), lines.get(3));
        // the idle columns line up: the first figure ends at the same place on every row
        int end = lines.get(2).indexOf("412 / 871 / 902") + "412 / 871 / 902".length();
        assertEquals(end, lines.get(3).indexOf("1,446 / 1,746 / 1,800") + "1,446 / 1,746 / 1,800".length());

        List<Figure> figures = BenchFigures.families(idle, loaded, 2136);
        Figure outreachP99 = figures.stream().filter(f -> f.name().equals("freshness of outreach to date, push -> ClickHouse, idle, p99"))
                .findFirst().orElseThrow();
        assertEquals(1746, outreachP99.value());
        assertEquals(Boolean.FALSE, outreachP99.met());
        assertEquals(Boolean.TRUE, figures.stream().filter(f -> f.name().equals(
                "freshness of participant progress, push -> ClickHouse, idle, p99")).findFirst().orElseThrow().met());
        assertTrue(figures.stream().anyMatch(f -> f.name().equals("freshness of outreach to date, push -> ClickHouse, at 2,136 events/s, max")
                && f.value() == 3600));
    }
}
