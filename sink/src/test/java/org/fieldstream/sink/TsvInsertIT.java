package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.platform.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TabSeparated rows written by {@link TsvRow} read back unchanged from the real ClickHouse server
 * (18.16 here): tricky text in String and Nullable(String), NULLs, integers at their limits,
 * special floats, dates and timestamps; and a row the server cannot parse is reported as refused
 * data, so the sink isolates and dead-letters it.
 */
class TsvInsertIT {

    private static final String DB = "it_tsv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final List<String> COLUMNS = List.of("id", "s", "ns", "i", "ni", "u", "f", "d", "nd", "t", "b");
    private static final double[] FLOATS = {0.25, -1.5, 1e-7, 123456789.125, Double.MIN_NORMAL};
    private static ClickHouseGateway gateway;

    @BeforeAll
    static void createTable() {
        gateway = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "");
        gateway.execute("CREATE DATABASE IF NOT EXISTS " + DB);
        gateway.execute("CREATE TABLE " + DB + ".t (id UInt32, s String, ns Nullable(String), i Int32, ni Nullable(Int32),"
                + " u UInt64, f Float64, d Date, nd Nullable(Date), t DateTime('UTC'), b UInt8, extra String DEFAULT 'x')"
                + " ENGINE = MergeTree ORDER BY id");
    }

    @AfterAll
    static void dropDatabase() {
        gateway.execute("DROP DATABASE IF EXISTS " + DB);
        gateway.close();
    }

    @Test
    void trickyValuesReadBackUnchanged() {
        List<byte[]> rows = new ArrayList<>();
        TsvRow row = new TsvRow();
        for (int id = 0; id < TsvRowTest.TRICKY.size(); id++) {
            String text = TsvRowTest.TRICKY.get(id);
            boolean odd = id % 2 == 1;
            rows.add(row.begin().integer(id).text(text).text(odd ? null : text).integer(odd ? Integer.MIN_VALUE : Integer.MAX_VALUE)
                    .value("ni", odd ? null : -id).integer(odd ? 0 : 4_294_967_296L * id).floating(FLOATS[id % FLOATS.length])
                    .date("d", LocalDate.of(2026, 3, 1).plusDays(id)).value("nd", odd ? LocalDate.of(2105, 12, 31) : null)
                    .timestamp("t", Instant.parse("2026-03-02T23:59:59.999Z").plusSeconds(id)).flag(odd).end());
        }
        gateway.insertTabSeparated(DB, "t", COLUMNS, rows);

        List<Map<String, String>> back = gateway.query("SELECT * FROM " + DB + ".t WHERE id < 1000 ORDER BY id");
        assertEquals(TsvRowTest.TRICKY.size(), back.size());
        for (int id = 0; id < back.size(); id++) {
            Map<String, String> r = back.get(id);
            String text = TsvRowTest.TRICKY.get(id);
            boolean odd = id % 2 == 1;
            assertEquals(Integer.toString(id), r.get("id"));
            assertEquals(text, r.get("s"), "String of row " + id);
            assertEquals(odd ? null : text, r.get("ns"), "Nullable(String) of row " + id);
            assertEquals(odd ? "-2147483648" : "2147483647", r.get("i"));
            assertEquals(odd ? null : Integer.toString(-id), r.get("ni"));
            assertEquals(odd ? "0" : Long.toString(4_294_967_296L * id), r.get("u"));
            assertEquals(FLOATS[id % FLOATS.length], Double.parseDouble(r.get("f")), "Float64 of row " + id);
            assertEquals(LocalDate.of(2026, 3, 1).plusDays(id).toString(), r.get("d"));
            assertEquals(odd ? "2105-12-31" : null, r.get("nd"));
            assertEquals(Instant.parse("2026-03-02T23:59:59Z").plusSeconds(id).toString().replace('T', ' ').replace("Z", ""), r.get("t"));
            assertEquals(odd ? "1" : "0", r.get("b"));
            assertEquals("x", r.get("extra"), "a column the insert leaves out takes its default");
        }
    }

    @Test
    void specialFloatsReadBack() {
        TsvRow row = new TsvRow();
        List<byte[]> rows = List.of(
                row.begin().integer(1000).text("nan").floating(Double.NaN).end(),
                row.begin().integer(1001).text("inf").floating(Double.POSITIVE_INFINITY).end(),
                row.begin().integer(1002).text("-inf").floating(Double.NEGATIVE_INFINITY).end());
        gateway.insertTabSeparated(DB, "t", List.of("id", "s", "f"), rows);
        for (Map<String, String> r : gateway.query("SELECT s, f, ns, d FROM " + DB + ".t WHERE id >= 1000 AND id < 2000")) {
            assertEquals(r.get("s"), r.get("f"));
            assertNull(r.get("ns"), "a Nullable column left out is NULL");
            assertTrue(Set.of("0000-00-00", "1970-01-01").contains(r.get("d")), "a Date left out is day zero: " + r.get("d"));
        }
    }

    @Test
    void theFirstAndLastDatesAndTimesTheRowsAcceptReadBack() {
        TsvRow row = new TsvRow();
        List<byte[]> rows = List.of(
                row.begin().integer(3000).value("d", LocalDate.of(1970, 1, 1)).value("t", Instant.EPOCH).end(),
                row.begin().integer(3001).value("d", LocalDate.of(2105, 12, 31)).value("t", Instant.parse("2105-12-31T23:59:59Z")).end());
        gateway.insertTabSeparated(DB, "t", List.of("id", "d", "t"), rows);
        // as numbers: 18.16 shows day zero as 0000-00-00, current releases as 1970-01-01
        List<Map<String, String>> back = gateway.query("SELECT toUInt16(d) AS d, toUInt32(t) AS t FROM " + DB + ".t WHERE id >= 3000 ORDER BY id");
        long lastDay = LocalDate.of(2105, 12, 31).toEpochDay();
        assertEquals(List.of(Map.of("d", "0", "t", "0"), Map.of("d", Long.toString(lastDay), "t", Long.toString(lastDay * 86_400 + 86_399))),
                back);
    }

    @Test
    void aRowTheServerCannotParseIsRefusedDataNotAnOutage() {
        byte[] good = new TsvRow().begin().integer(2000).text("fine").integer(1).end();
        byte[] bad = new TsvRow().begin().integer(2001).text("bad").text("not a number").end();
        ClickHouseGateway.ClickHouseFailure failure = assertThrows(ClickHouseGateway.ClickHouseFailure.class,
                () -> gateway.insertTabSeparated(DB, "t", List.of("id", "s", "i"), List.of(good, bad)));
        assertTrue(failure.rejectsData(), "code " + failure.serverCode() + ": " + failure.getMessage());

        TableWriter writer = new ClickHouseTableWriter(new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", ""), DB);
        TableWriter.WriteFailure refused = assertThrows(TableWriter.WriteFailure.class,
                () -> writer.write("t", List.of("id", "s", "i"), List.of(bad)));
        assertTrue(refused.rejectsData());
        writer.write("t", List.of("id", "s", "i"), List.of(good));
        writer.close();
        assertEquals("fine", gateway.queryValue("SELECT s FROM " + DB + ".t WHERE id = 2000"));
        assertEquals(0, Long.parseLong(gateway.queryValue("SELECT count() FROM " + DB + ".t WHERE id = 2001")));
    }
}
