package org.fieldstream.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Topic;
import org.fieldstream.events.Topics;
import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.Program;

/** The whole metrics topology in a TopologyTestDriver, with helpers to read the last row per key. */
public final class TopologyHarness implements AutoCloseable {

    static final Duration PUNCTUATE = Duration.ofMillis(500);
    /** The driver's wall clock at start: fixed, so row versions and the stores' bytes do not depend on when a test runs. */
    static final java.time.Instant WALL_CLOCK_START = java.time.Instant.parse("2026-06-01T00:00:00Z");

    final Topics topics = new Topics("test.");
    final TopologyTestDriver driver;
    private final TestInputTopic<String, FieldEvent> events;
    private final Path stateDir;
    private final Map<String, TestOutputTopic<String, ? extends SpecificRecordBase>> outputs = new TreeMap<>();
    /** Last row per key of every metric topic, accumulated across reads. */
    private final Map<String, Map<String, SpecificRecordBase>> latest = new TreeMap<>();

    TopologyHarness() {
        try {
            stateDir = Files.createTempDirectory("fieldstream-ttd");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ttd");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfig.class.getName());
        driver = new TopologyTestDriver(MetricsTopology.build(topics, PUNCTUATE, props), props, WALL_CLOCK_START);
        events = driver.createInputTopic(topics.events.name(), topics.events.keySerde().serializer(),
                topics.events.valueSerde().serializer());
        for (Topic<String, ?> topic : topics.metrics()) {
            @SuppressWarnings("unchecked")
            Topic<String, SpecificRecordBase> t = (Topic<String, SpecificRecordBase>) topic;
            outputs.put(t.name(), driver.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer()));
            latest.put(t.name(), new TreeMap<>());
        }
    }

    void program(String id, int dropoutMissed, double completion) {
        program(Program.newBuilder().setProgramId(id).setName(id).setStartDate(java.time.LocalDate.of(2026, 1, 1))
                .setEndDate(null).setDropoutMissedSessions(dropoutMissed).setCompletionAttendance(completion).build());
    }

    void program(Program program) {
        driver.createInputTopic(topics.programs.name(), topics.programs.keySerde().serializer(), topics.programs.valueSerde().serializer())
                .pipeInput(program.getProgramId(), program);
    }

    void orgUnit(OrgUnit unit) {
        driver.createInputTopic(topics.orgUnits.name(), topics.orgUnits.keySerde().serializer(), topics.orgUnits.valueSerde().serializer())
                .pipeInput(unit.getOrgUnitId(), unit);
    }

    void orgUnit(String id, String level, String districtId, String upazilaId) {
        driver.createInputTopic(topics.orgUnits.name(), topics.orgUnits.keySerde().serializer(), topics.orgUnits.valueSerde().serializer())
                .pipeInput(id, OrgUnit.newBuilder().setOrgUnitId(id).setName(id).setNameBn(null).setLevel(level).setParentId(null)
                        .setDivisionId(null).setDistrictId(districtId).setUpazilaId(upazilaId).setUnionId(null).build());
    }

    void send(FieldEvent... list) {
        for (FieldEvent e : list) {
            events.pipeInput(e.getAggregateId(), e);
        }
    }

    void send(List<FieldEvent> list) {
        list.forEach(this::send);
    }

    /** Lets the punctuations run: the aggregate stage, the person stage's summed deltas, then the count stage. */
    void settle() {
        driver.advanceWallClockTime(PUNCTUATE);
        driver.advanceWallClockTime(PUNCTUATE);
        driver.advanceWallClockTime(PUNCTUATE);
        drain();
    }

    /** Lets one punctuation interval pass with nothing to flush: a quiet spell for every stage. */
    void quiet() {
        driver.advanceWallClockTime(PUNCTUATE);
        drain();
    }

    /** Reads what the stages wrote so far, without moving the wall clock (no punctuation runs). */
    void read() {
        drain();
    }

    private void drain() {
        outputs.forEach((name, topic) -> topic.readKeyValuesToList()
                .forEach(kv -> latest.get(name).put(kv.key, kv.value)));
    }

    @SuppressWarnings("unchecked")
    <T extends SpecificRecordBase> Map<String, T> rows(Topic<String, T> topic) {
        return (Map<String, T>) (Map<String, ?>) latest.get(topic.name());
    }

    /** Last row per key, without the rows marked deleted. */
    <T extends SpecificRecordBase> Map<String, T> live(Topic<String, T> topic) {
        Map<String, T> live = new TreeMap<>();
        rows(topic).forEach((k, v) -> {
            if (!(Boolean) v.get("deleted")) {
                live.put(k, v);
            }
        });
        return live;
    }

    /** Last row per key of every metric topic, by topic name. */
    Map<String, Map<String, SpecificRecordBase>> all() {
        return latest;
    }

    /** Every metric topic's last rows, rendered without updated_at and version (run-dependent). */
    Map<String, String> snapshotWithoutVersions() {
        Map<String, String> all = new TreeMap<>();
        latest.forEach((topic, rows) -> rows.forEach((key, row) -> all.put(topic + "/" + key, render(row))));
        return all;
    }

    static String render(SpecificRecordBase row) {
        StringBuilder sb = new StringBuilder();
        row.getSchema().getFields().forEach(f -> {
            if (!f.name().equals("updated_at") && !f.name().equals("version")) {
                sb.append(f.name()).append('=').append(row.get(f.pos())).append(' ');
            }
        });
        return sb.toString();
    }

    /** Row counts and the first {@code limit} keys whose rendered rows differ, each side shown: a readable failure. */
    static String differences(Map<String, String> expected, Map<String, String> actual, int limit) {
        TreeSet<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        StringBuilder sb = new StringBuilder(expected.size() + " rows expected, " + actual.size() + " actual");
        int shown = 0;
        for (String key : keys) {
            if (shown < limit && !Objects.equals(expected.get(key), actual.get(key))) {
                sb.append("\n").append(key).append("\n  expected: ").append(expected.get(key))
                        .append("\n  actual:   ").append(actual.get(key));
                shown++;
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        driver.close();
        try (var walk = Files.walk(stateDir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }
}
