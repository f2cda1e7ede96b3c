package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.avro.specific.SpecificRecordBase;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Topic;
import org.junit.jupiter.api.Test;

/**
 * Property: on random histories ({@link RandomEvents}: duplicates, corrections, retractions, unknown
 * references, any arrival order) the incremental topology's live rows equal the rows recomputed
 * from scratch by the oracle ({@link Recompute}), field by field, as_of included; also when
 * punctuations run at random points of the history, so that intermediate rows are written and
 * replaced. Each history runs in its own programs (named by the iteration) in one test driver.
 *
 * <p>{@code -Dfieldstream.property.iterations=N} and {@code -Dfieldstream.property.seed=S} run more
 * or other histories; a failure names the seed, the first differing row and the history.
 */
class IncrementalMatchesRecomputeTest {

    private static final long SEED = Long.getLong("fieldstream.property.seed", 20_261_129L);
    private static final int ITERATIONS = Integer.getInteger("fieldstream.property.iterations", 100);

    @Test
    void incrementalRowsEqualTheRecomputationOnRandomHistories() {
        int rows = 0;
        try (TopologyHarness h = new TopologyHarness()) {
            for (int i = 0; i < ITERATIONS; i++) {
                long seed = SEED + i;
                String prefix = "i" + i + "-";
                RandomEvents input = new RandomEvents(prefix, seed);
                input.programs.values().forEach(h::program);
                input.orgUnits.values().forEach(h::orgUnit);
                Random settles = new Random(seed);
                for (FieldEvent e : input.events) {
                    h.send(e);
                    if (settles.nextInt(12) == 0) {
                        h.settle();
                    }
                }
                h.settle();
                Map<String, String> expected = Recompute.rows(input.events, input.programs, input.orgUnits, h.topics);
                Map<String, String> actual = live(h, prefix);
                if (!expected.equals(actual)) {
                    fail(difference(seed, input, expected, actual));
                }
                rows += expected.size();
            }
        }
        assertTrue(rows > ITERATIONS * 20, "the histories yield rows: " + rows);
    }

    private static Map<String, String> live(TopologyHarness h, String prefix) {
        Map<String, String> out = new TreeMap<>();
        for (Topic<String, ?> topic : h.topics.metrics()) {
            @SuppressWarnings("unchecked")
            Topic<String, SpecificRecordBase> t = (Topic<String, SpecificRecordBase>) topic;
            h.live(t).forEach((key, row) -> {
                if (key.startsWith(prefix)) {
                    out.put(t.name() + "/" + key, TopologyHarness.render(row));
                }
            });
        }
        return out;
    }

    private static String difference(long seed, RandomEvents input, Map<String, String> expected, Map<String, String> actual) {
        TreeSet<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        StringBuilder sb = new StringBuilder("seed ").append(seed).append(": incremental rows differ from the recomputation ("
                + expected.size() + " rows expected, " + actual.size() + " live)\n");
        for (String key : keys) {
            if (!java.util.Objects.equals(expected.get(key), actual.get(key))) {
                sb.append("first differing row ").append(key).append("\n  recomputed:  ").append(expected.get(key))
                        .append("\n  incremental: ").append(actual.get(key)).append('\n');
                break;
            }
        }
        sb.append("history (arrival order):\n");
        for (FieldEvent e : input.events) {
            sb.append("  ").append(e.getAggregateId()).append(' ').append(e.getEventId()).append(" rev ").append(e.getRevision())
                    .append(' ').append(e.getPayload()).append('\n');
        }
        return sb.toString();
    }
}
