package org.fieldstream.reports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * How current each table is: as_of (latest event time reflected), updated_at (last change by the
 * streams; for field_events the latest arrival) and lag = now − as_of. An empty table has no lag.
 */
final class FreshnessReport {

    private static final DateTimeFormatter CLICKHOUSE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private final ClickHouseGateway gateway;
    private final String db;
    private final Clock clock;

    FreshnessReport(ClickHouseGateway gateway, String db, Clock clock) {
        this.gateway = gateway;
        this.db = db;
        this.clock = clock;
    }

    ReportOutput run() {
        Instant now = clock.instant();
        List<Map<String, String>> rows = new ArrayList<>();
        for (Map<String, String> row : gateway.query(
                "SELECT table_name, as_of, updated_at, row_count FROM " + db + ".dash_freshness ORDER BY table_name")) {
            boolean empty = "0".equals(row.get("row_count"));
            Map<String, String> line = new LinkedHashMap<>();
            line.put("table_name", row.get("table_name"));
            line.put("row_count", row.get("row_count"));
            line.put("as_of", empty ? "" : row.get("as_of"));
            line.put("updated_at", empty ? "" : row.get("updated_at"));
            line.put("lag", empty ? "no rows" : lag(Duration.between(utc(row.get("as_of")), now)));
            line.put("lag_seconds", empty ? "" : String.valueOf(Duration.between(utc(row.get("as_of")), now).toSeconds()));
            rows.add(line);
        }
        return new ReportOutput("Freshness", "now " + CLICKHOUSE_TIME.format(now.atOffset(ZoneOffset.UTC)) + " UTC",
                List.of(new ReportOutput.Section("Freshness per table", "times in UTC; lag = now - as_of", rows), deadLetters()),
                List.of());
    }

    /**
     * Records a stage gave up on, per stage and topic: events the streams could not decode, rows
     * ClickHouse refused. Each is counted once, however often it was dead-lettered.
     */
    private ReportOutput.Section deadLetters() {
        List<Map<String, String>> rows = new ArrayList<>();
        for (Map<String, String> row : gateway.query("SELECT stage, failed_topic, count() AS records, max(failed_at) AS last_at, "
                + "any(reason) AS example_reason FROM " + db + ".v_dead_letters GROUP BY stage, failed_topic "
                + "ORDER BY stage, failed_topic")) {
            Map<String, String> line = new LinkedHashMap<>();
            line.put("stage", row.get("stage"));
            line.put("topic", row.get("failed_topic"));
            line.put("records", row.get("records"));
            line.put("last_at", row.get("last_at"));
            line.put("example_reason", row.get("example_reason"));
            rows.add(line);
        }
        return new ReportOutput.Section("Dead letters per topic",
                rows.isEmpty() ? "none: every record read was processed" : "streams: undecodable events; sink: rows ClickHouse refused",
                rows);
    }

    /** The DateTime('UTC') columns print as UTC wall time. */
    static Instant utc(String text) {
        try {
            return LocalDateTime.parse(text, CLICKHOUSE_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalStateException("unexpected time from ClickHouse: " + Filters.shown(text), e);
        }
    }

    /** "2d 03h 04m 05s", "04m 05s"; a negative lag (event time ahead of this clock) keeps its sign. */
    static String lag(Duration lag) {
        String sign = lag.isNegative() ? "-" : "";
        Duration d = lag.abs();
        if (d.toDays() > 0) {
            return "%s%dd %02dh %02dm %02ds".formatted(sign, d.toDays(), d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart());
        }
        if (d.toHours() > 0) {
            return "%s%dh %02dm %02ds".formatted(sign, d.toHours(), d.toMinutesPart(), d.toSecondsPart());
        }
        return "%s%dm %02ds".formatted(sign, d.toMinutes(), d.toSecondsPart());
    }
}
