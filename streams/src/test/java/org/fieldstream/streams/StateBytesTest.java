package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
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
 */
class StateBytesTest {

    /** Digest of the stores' bytes in state format 6 (outreach cells of calendar and fiscal years). */
    private static final String FORMAT_6_DIGEST = "fdb17c97a0838940874c949fbcc39131ce2404fd4b8f37507ebc9934dc546cf1";

    @Test
    void theStoresHoldTheBytesOfStateFormat6() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long entries = 0;
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
                entries += add(digest, h.driver.getKeyValueStore(store.getKey()), store.getKey(), store.getValue());
            }
        }
        assertTrue(entries > 500, "the histories fill the stores: " + entries);
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
    private static <T> long add(MessageDigest digest, KeyValueStore<String, ?> store, String name, Serde<T> serde) {
        long n = 0;
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        try (KeyValueIterator<String, T> it = ((KeyValueStore<String, T>) store).all()) {
            while (it.hasNext()) {
                KeyValue<String, T> kv = it.next();
                digest.update(kv.key.getBytes(StandardCharsets.UTF_8));
                digest.update(serde.serializer().serialize(name, kv.value));
                n++;
            }
        }
        return n;
    }
}
