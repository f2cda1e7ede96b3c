package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fieldstream.events.FieldEvent;
import org.junit.jupiter.api.Test;

/**
 * The bytes the stores hold after fixed random histories (fixed seeds, fixed wall clock), as one
 * digest: a change of the internal layout changes it, and then {@link Compact#FORMAT} must change
 * too (the application id carries it, so the new layout rebuilds its state from the log). A change
 * of code that leaves the digest as it is leaves the state format as it is.
 *
 * <p>What the stores hold also depends on when the stages flushed (a punctuation or a quiet-spell
 * flush, {@link QuietSpell}), and that is not their format: the row versions (a participant's, an
 * aggregate's grains', an outreach cell's) are wall-clock stamps of the flush that wrote the row,
 * and the row an aggregate last wrote for a grain that is gone holds the figures of whichever flush
 * wrote it. So the digest takes each value as serialized with its versions set to 0 (the field stays
 * in the layout) and without the rows last written of gone grains; every figure, every live row
 * last written and the layout of every value remain. What the versions must be is checked apart:
 * taken from the wall clock, never below the driver's start.
 */
class StateBytesTest {

    /** Digest of the stores' bytes (versions as 0, gone grains' rows left out) in state format 6 (outreach cells of calendar and fiscal years). */
    private static final String FORMAT_6_DIGEST = "5f2dd3330fe3fe17fe9034eb1df6bf406c73324bbc746cbde943fffa43de53a3";

    @Test
    void theStoresHoldTheBytesOfStateFormat6() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long entries = 0;
        List<Long> versions = new ArrayList<>();
        try (TopologyHarness h = new TopologyHarness()) {
            for (int i = 0; i < 12; i++) {
                RandomEvents input = new RandomEvents("s" + i + "-", 7_000L + i);
                input.programs.values().forEach(h::program);
                input.orgUnits.values().forEach(h::orgUnit);
                Random settles = new Random(i);
                for (FieldEvent e : input.events) {
                    h.send(e);
                    if (settles.nextInt(12) == 0) {
                        h.settle();
                    }
                }
                h.settle();
            }
            for (Map.Entry<String, Serde<?>> store : stores().entrySet()) {
                entries += add(digest, h.driver.getKeyValueStore(store.getKey()), store.getKey(), store.getValue(), versions);
            }
        }
        assertTrue(entries > 500, "the histories fill the stores: " + entries);
        long start = TopologyHarness.WALL_CLOCK_START.toEpochMilli();
        assertTrue(versions.stream().filter(v -> v != 0).count() > 500, "the stores keep the versions of the rows written: " + versions.size());
        assertTrue(versions.stream().allMatch(v -> v == 0 || v >= start),
                "a row's version comes from the wall clock, never below its start (0: no row written yet)");
        assertEquals(6, Compact.FORMAT);
        assertEquals(FORMAT_6_DIGEST, HexFormat.of().formatHex(digest.digest()),
                "the stores' bytes changed: bump Compact.FORMAT (and this digest) so the new layout rebuilds its state from the log");
    }

    private static Map<String, Serde<?>> stores() {
        Map<String, Serde<?>> stores = new java.util.LinkedHashMap<>();
        stores.put("aggregate-roots", InternalSerdes.rootRecord());
        stores.put("aggregate-persons", InternalSerdes.personState());
        stores.put("aggregate-headers", InternalSerdes.header());
        stores.put("aggregate-dirty", Serdes.ByteArray());
        stores.put("outreach-persons", InternalSerdes.personReaches());
        stores.put("outreach-persons-pending", InternalSerdes.sentPlacement());
        stores.put("outreach-counts", InternalSerdes.cellState());
        stores.put("outreach-counts-dirty", Serdes.Long());
        return stores;
    }

    @SuppressWarnings("unchecked")
    private static <T> long add(MessageDigest digest, KeyValueStore<String, ?> store, String name, Serde<T> serde, List<Long> versions) {
        long n = 0;
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        try (KeyValueIterator<String, T> it = ((KeyValueStore<String, T>) store).all()) {
            while (it.hasNext()) {
                KeyValue<String, T> kv = it.next();
                digest.update(kv.key.getBytes(StandardCharsets.UTF_8));
                digest.update(serde.serializer().serialize(name, stable(kv.value, versions)));
                n++;
            }
        }
        return n;
    }

    /** A grain's row last written while it is live; null once the grain is gone. */
    private static <F> AggregateHeader.Emitted<F> live(AggregateHeader.Emitted<F> row) {
        return row != null && row.live ? row : null;
    }

    /**
     * The value with every row version it keeps set to 0 (the versions added to {@code versions}),
     * and without the rows last written of an aggregate's grains that are gone.
     */
    private static <T> T stable(T value, List<Long> versions) {
        if (value instanceof PersonState p) {
            versions.add(p.rowVersion);
            p.rowVersion = 0;
        } else if (value instanceof CellCountProcessor.CellState c) {
            versions.add(c.version);
            c.version = 0;
        } else if (value instanceof AggregateHeader h) {
            h.totals = live(h.totals);
            h.groupRows.replaceAll(StateBytesTest::live);
            h.curve.values().removeIf(row -> live(row) == null);
            h.groupCurves.forEach(curve -> curve.values().removeIf(row -> live(row) == null));
            h.summary = live(h.summary);
            h.attendance.values().removeIf(row -> live(row) == null);
            List<AggregateHeader.Emitted<?>> rows = new ArrayList<>();
            rows.add(h.totals);
            rows.addAll(h.groupRows);
            rows.addAll(h.curve.values());
            h.groupCurves.forEach(curve -> rows.addAll(curve.values()));
            rows.add(h.summary);
            rows.addAll(h.attendance.values());
            for (AggregateHeader.Emitted<?> row : rows) {
                if (row != null) {
                    versions.add(row.version);
                    row.version = 0;
                }
            }
        }
        return value;
    }
}
