package org.fieldstream.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.clickhouse.ClickHouseSql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * v_field_events_current on ClickHouse 18.16 and on the current engine (chDB): of each record the
 * highest revision (compared as numbers: 10 above 9), on equal revisions a retraction, then the
 * greater event_id; a record whose current event is a retraction is void; the copies of one event
 * give one row.
 */
class CurrentRecordsIT {

    private static final String DB = "it_current_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    private static BothEngines engines;
    private static ClickHouseGateway old;
    private static Chdb current;
    private static long offset;

    @BeforeAll
    static void load() {
        engines = BothEngines.migrated(DB);
        old = engines.old();
        List<Map<String, Object>> events = new ArrayList<>(List.of(
                event("r1-a", "r1", 1, "attendance_recorded"),
                event("r1-b", "r1", 2, "attendance_recorded"),
                event("r2-z", "r2", 1, "attendance_recorded"),
                event("r2-0", "r2", 1, "record_retracted"),
                event("r3-a", "r3", 1, "attendance_recorded"),
                event("r3-b", "r3", 1, "attendance_recorded"),
                event("r4-a", "r4", 10, "attendance_recorded"),
                event("r4-z", "r4", 9, "attendance_recorded"),
                event("r5", "r5", 1, "session_held"),
                event("r6-a", "r6", 1, "attendance_recorded"),
                event("r6-b", "r6", 2, "record_retracted")));
        old.insertJsonEachRow(DB, "field_events", events);
        old.insertJsonEachRow(DB, "field_events", List.of(event("r5", "r5", 1, "session_held"), event("r3-b", "r3", 1, "attendance_recorded")));
        current = engines.copy();
    }

    @AfterAll
    static void drop() {
        engines.close();
    }

    @Test
    void theHighestRevisionThenARetractionThenTheGreaterEventIdOneRowPerEvent() {
        String sql = "SELECT root_id, event_id, revision FROM " + DB + ".v_field_events_current ORDER BY root_id, event_id";
        for (ClickHouseSql side : List.of(old, current)) {
            List<String> rows = side.query(sql).stream().map(row -> String.join(" ", row.values())).toList();
            assertEquals(List.of("r1 r1-b 2", "r3 r3-b 1", "r4 r4-a 10", "r5 r5 1"), rows,
                    "v_field_events_current on " + (side == old ? "18.16" : current.version().toString()));
        }
    }

    private static Map<String, Object> event(String id, String root, int revision, String type) {
        offset++;
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event_id", id);
        e.put("root_id", root);
        e.put("revision", revision);
        e.put("program_id", "p1");
        e.put("partner_id", "a");
        e.put("aggregate_id", "p1/a/c1");
        e.put("occurred_at", "2026-01-10 04:00:00");
        e.put("received_at", "2026-01-11 04:00:00");
        e.put("source", "csv");
        e.put("source_ref", "hand.csv:" + offset);
        e.put("event_type", type);
        e.put("cohort_id", "c1");
        e.put("session_number", 1);
        e.put("person_id", "P" + root);
        e.put("status", "present");
        e.put("source_topic", "hand");
        e.put("source_partition", 0);
        e.put("source_offset", offset);
        e.put("version", offset);
        return e;
    }
}
