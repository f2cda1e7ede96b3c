package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.events.AvroCodec;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.SessionHeld;
import org.fieldstream.events.Sex;
import org.fieldstream.events.TrainingCohortRegistered;
import org.fieldstream.platform.TestServices;
import org.fieldstream.schema.Chdb;
import org.fieldstream.schema.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SQL recomputation of outreach on ClickHouse 18.16 and 26.7, over hand-made events where two
 * partners record the same persons: a partner's cells take a person's sex, age band and first month
 * reached from that partner's records only, the program's cells from every partner's.
 */
class PartnerOutreachRecomputeIT {

    private static final ClickHouseGateway OLD = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "");
    private static final RecordMapper EVENTS = TableMappings.eventMapper();
    private static final AvroCodec<FieldEvent> CODEC = AvroCodec.of(FieldEvent.class);

    /** Inserts TabSeparated rows into a table's named columns. */
    private interface Insert {
        void rows(String database, String table, List<String> columns, List<byte[]> rows);
    }

    static Stream<Arguments> servers() {
        return Stream.of(Arguments.of("18.16", OLD, (Insert) OLD::insertTabSeparated),
                Arguments.of("26.7", Chdb.shared(), (Insert) Chdb.shared()::insertTabSeparated));
    }

    @AfterAll
    static void close() {
        OLD.close();
    }

    /**
     * Partner a's cohort a/c1 (session Jan 5): x enrolled female, born 2006, and y, present, not
     * enrolled there. Partner b's cohort b/c2 (sessions Dec 8 and Jan 19): x enrolled male, born
     * 1980, on Jan 19, present at both; y enrolled female, born 2016, never present.
     */
    private static List<byte[]> events() {
        List<byte[]> rows = new ArrayList<>();
        String c1 = "P1/a/c1";
        String c2 = "P1/b/c2";
        LocalDate jan5 = LocalDate.of(2026, 1, 5);
        LocalDate dec8 = LocalDate.of(2025, 12, 8);
        LocalDate jan19 = LocalDate.of(2026, 1, 19);
        add(rows, "a", c1, "reg", TrainingCohortRegistered.newBuilder().setCohortId("c1").setTopic("t").setPlannedSessions(2)
                .setStartDate(jan5).setEndDate(null).setTargetGroup(null).build());
        add(rows, "a", c1, "ses1", SessionHeld.newBuilder().setCohortId("c1").setSessionNumber(1).setHeldOn(jan5).build());
        add(rows, "a", c1, "enrx", enrolled("c1", "x", Sex.FEMALE, 2006, jan5));
        add(rows, "a", c1, "attx1", Samples.attendance("c1", 1, "x"));
        add(rows, "a", c1, "atty1", Samples.attendance("c1", 1, "y"));
        add(rows, "b", c2, "reg", TrainingCohortRegistered.newBuilder().setCohortId("c2").setTopic("t").setPlannedSessions(2)
                .setStartDate(dec8).setEndDate(null).setTargetGroup(null).build());
        add(rows, "b", c2, "ses1", SessionHeld.newBuilder().setCohortId("c2").setSessionNumber(1).setHeldOn(dec8).build());
        add(rows, "b", c2, "ses2", SessionHeld.newBuilder().setCohortId("c2").setSessionNumber(2).setHeldOn(jan19).build());
        add(rows, "b", c2, "enrx", enrolled("c2", "x", Sex.MALE, 1980, jan19));
        add(rows, "b", c2, "enry", enrolled("c2", "y", Sex.FEMALE, 2016, jan19));
        add(rows, "b", c2, "attx1", Samples.attendance("c2", 1, "x"));
        add(rows, "b", c2, "attx2", Samples.attendance("c2", 2, "x"));
        return rows;
    }

    private static ParticipantEnrolled enrolled(String cohort, String person, Sex sex, int birthYear, LocalDate on) {
        return ParticipantEnrolled.newBuilder().setCohortId(cohort).setPersonId(person).setSex(sex).setBirthYear(birthYear)
                .setAge(null).setEnrolledOn(on).build();
    }

    private static void add(List<byte[]> rows, String partner, String aggregate, String root, Object payload) {
        String rootId = aggregate + "/" + root;
        FieldEvent event = FieldEvent.newBuilder(Samples.event(rootId + "#1", rootId, 1, aggregate, payload)).setPartnerId(partner).build();
        rows.add(EVENTS.map(new ConsumerRecord<>("hand", 0, rows.size(), aggregate, CODEC.encode(event))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void aPartnersCellsTakeThePersonFromThatPartnersRecords(String name, ClickHouseSql sql, Insert insert) {
        String db = "it_partner_outreach_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try {
            Migrations.apply(sql, db);
            insert.rows(db, "field_events", EVENTS.columns(), events());
            Map<String, String> cells = new TreeMap<>();
            for (Map<String, String> row : sql.query("SELECT period, dimension, dimension_id, sex, age_band, people_reached,"
                    + " new_people_reached FROM " + db + ".recompute_outreach WHERE period_kind = 'month'")) {
                cells.put(String.join("|", row.get("period"), row.get("dimension"), row.get("dimension_id"), row.get("sex"),
                        row.get("age_band")), row.get("people_reached") + " new " + row.get("new_people_reached"));
            }
            Map<String, String> expected = new TreeMap<>();
            // a: x by a's enrolment (female, 20), y unknown to a; both first reached by a in January
            expected.put("2026-01|partner|a|female|youth_15_29", "1 new 1");
            expected.put("2026-01|partner|a|unknown|unknown", "1 new 1");
            expected.put("2026-01|partner|a|all|all", "2 new 2");
            // b: x by b's enrolment (male, 46), first reached by b in December
            expected.put("2025-12|partner|b|male|adult_30_plus", "1 new 1");
            expected.put("2025-12|partner|b|all|all", "1 new 1");
            expected.put("2026-01|partner|b|male|adult_30_plus", "1 new 0");
            expected.put("2026-01|partner|b|all|all", "1 new 0");
            // the program: the most recent record of any partner (b's, Jan 19, for both), first month in the program
            expected.put("2025-12|program|P1|male|adult_30_plus", "1 new 1");
            expected.put("2025-12|program|P1|all|all", "1 new 1");
            expected.put("2026-01|program|P1|male|adult_30_plus", "1 new 0");
            expected.put("2026-01|program|P1|female|under_15", "1 new 1");
            expected.put("2026-01|program|P1|all|all", "2 new 1");
            assertEquals(expected, cells, name);
        } finally {
            sql.execute("DROP DATABASE IF EXISTS " + db);
        }
    }
}
