package org.fieldstream.streams;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.OutreachCount;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;

/**
 * The Avro schemas of the metric rows, by full name, with the fingerprint of each
 * ({@link SchemaNormalization#parsingFingerprint64}: names, types and order of its fields). A processor
 * that writes rows records, in a small changelogged store of its own, the fingerprints its rows were
 * written with; when a start finds another fingerprint for a family (or none), the processor writes
 * every live row of that family again from its stores, with the current schema and a higher version,
 * and records the new fingerprint. A change of what a row carries therefore rewrites the rows of its
 * family once, without replaying the log and without a new state format ({@link Compact#FORMAT}
 * changes only when the bytes in the stores change).
 */
final class OutputSchemas {

    static final String RETENTION = CohortRetention.getClassSchema().getFullName();
    static final String CURVE = RetentionCurvePoint.getClassSchema().getFullName();
    static final String PARTICIPANTS = ParticipantProgress.getClassSchema().getFullName();
    static final String DIALOGUES = DialogueSummary.getClassSchema().getFullName();
    static final String ATTENDANCE = DialogueAttendance.getClassSchema().getFullName();
    static final String OUTREACH = OutreachCount.getClassSchema().getFullName();

    private final Map<String, Long> fingerprints;

    private OutputSchemas(Map<String, Long> fingerprints) {
        this.fingerprints = Map.copyOf(fingerprints);
    }

    /** The schemas this version writes its metric rows with. */
    static OutputSchemas current() {
        Map<String, Long> f = new LinkedHashMap<>();
        for (Schema s : List.of(CohortRetention.getClassSchema(), RetentionCurvePoint.getClassSchema(), ParticipantProgress.getClassSchema(),
                DialogueSummary.getClassSchema(), DialogueAttendance.getClassSchema(), OutreachCount.getClassSchema())) {
            f.put(s.getFullName(), SchemaNormalization.parsingFingerprint64(s));
        }
        return new OutputSchemas(f);
    }

    /** These schemas with another fingerprint for one family: what a version with a changed row schema would record. */
    OutputSchemas with(String family, long fingerprint) {
        Map<String, Long> f = new LinkedHashMap<>(fingerprints);
        f.put(family, fingerprint);
        return new OutputSchemas(f);
    }

    long fingerprint(String family) {
        Long f = fingerprints.get(family);
        if (f == null) {
            throw new IllegalArgumentException("no metric row schema " + family);
        }
        return f;
    }

    /** The store in which a processor records the fingerprints its rows were written with. */
    static StoreBuilder<KeyValueStore<String, Long>> store(String name) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.Long());
    }

    /** Of {@code families}, those whose rows were recorded with another fingerprint than the current one, or with none. */
    Set<String> changed(KeyValueStore<String, Long> recorded, Set<String> families) {
        Set<String> changed = new TreeSet<>();
        for (String family : families) {
            Long was = recorded.get(family);
            if (was == null || was != fingerprint(family)) {
                changed.add(family);
            }
        }
        return changed;
    }

    /** Records the current fingerprints of {@code families}. */
    void record(KeyValueStore<String, Long> recorded, Set<String> families) {
        families.forEach(family -> recorded.put(family, fingerprint(family)));
    }
}
