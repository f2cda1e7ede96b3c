package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** Marks remembered in memory are the same marks as in the store, also across a restart (a new instance on the same store). */
class AggregateMarksTest {

    private final ProcessorFixture<String, Object> f = new ProcessorFixture<>();
    private final KeyValueStore<String, byte[]> store = f.store(AggregateProcessor.DIRTY_STORE, Serdes.ByteArray());

    private static String drained(AggregateMarks marks) {
        return marks.drain().stream().map(m -> m.key + "=" + m.value[0]).collect(Collectors.joining(" "));
    }

    @Test
    void aHigherMarkWinsAndALowerOneNeverOverwritesIt() {
        AggregateMarks marks = new AggregateMarks(store);
        marks.person("a", "p1");
        marks.aggregate("a", AggregateMarks.ALL);
        marks.aggregate("a", AggregateMarks.ROWS);
        marks.person("a", "p1");
        marks.aggregate("b", AggregateMarks.ROWS);
        marks.aggregate("b", AggregateMarks.ALL);
        assertEquals("a|=2 a|p1=0 b|=2", drained(marks));
        assertEquals("", drained(marks), "drained");
        marks.aggregate("a", AggregateMarks.ROWS);
        assertEquals("a|=1", drained(marks), "marks after a drain are written again");
    }

    @Test
    void afterARestartTheStoredMarkIsKeptAndRaised() {
        new AggregateMarks(store).aggregate("a", AggregateMarks.ALL);
        new AggregateMarks(store).aggregate("b", AggregateMarks.ROWS);
        AggregateMarks restarted = new AggregateMarks(store);
        restarted.aggregate("a", AggregateMarks.ROWS);
        restarted.aggregate("b", AggregateMarks.ALL);
        restarted.person("c", "p");
        assertEquals(List.of("a|=2", "b|=2", "c|p=0"), List.of(drained(restarted).split(" ")));
    }
}
