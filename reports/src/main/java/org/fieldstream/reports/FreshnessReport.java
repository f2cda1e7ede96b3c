package org.fieldstream.reports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.reports.ReportRows.DeadLetterRow;
import org.fieldstream.reports.ReportRows.FreshnessRow;
import org.fieldstream.reports.ReportRows.TableFreshnessRow;

/**
 * How current each table is: as_of (latest event time reflected), updated_at (last change by the
 * streams; for field_events the latest arrival) and lag = now − as_of. An empty table has no lag.
 */
final class FreshnessReport {

    static final String PER_TABLE = "Freshness per table";
    static final String DEAD_LETTERS = "Dead letters per topic";

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
        List<FreshnessRow> rows = new ArrayList<>();
        for (TableFreshnessRow table : RowType.of(TableFreshnessRow.class).query(gateway, "dash_freshness",
                "FROM " + db + ".dash_freshness ORDER BY table_name")) {
            // no time: an empty table, or rows that reflect no event yet (18.16 prints DateTime 0 as zeros)
            boolean timeless = table.rowCount() == 0 || noTime(table.asOf());
            rows.add(new FreshnessRow(table.tableName(), table.rowCount(), timeless ? null : table.asOf(),
                    table.rowCount() == 0 || noTime(table.updatedAt()) ? null : table.updatedAt(),
                    timeless ? null : Duration.between(utc(table.asOf()), now).toSeconds()));
        }
        return new ReportOutput("Freshness", "now " + CLICKHOUSE_TIME.format(now.atOffset(ZoneOffset.UTC)) + " UTC",
                List.of(ReportOutput.Section.of(PER_TABLE, "times in UTC; lag = now - as_of", FreshnessRow.class, rows), deadLetters()),
                List.of());
    }

    /**
     * Records a stage gave up on, per stage and topic: events the streams could not decode, rows
     * ClickHouse refused. Each is counted once, however often it was dead-lettered.
     */
    private ReportOutput.Section<DeadLetterRow> deadLetters() {
        List<DeadLetterRow> rows = RowType.of(DeadLetterRow.class).query(gateway, "v_dead_letters",
                "FROM " + db + ".v_dead_letters GROUP BY stage, failed_topic ORDER BY stage, failed_topic");
        return ReportOutput.Section.of(DEAD_LETTERS,
                rows.isEmpty() ? "none: every record read was processed" : "streams: undecodable events; sink: rows ClickHouse refused",
                DeadLetterRow.class, rows);
    }

    /** DateTime 0: 18.16 prints it as zeros, current releases as the epoch. */
    static boolean noTime(String text) {
        return text == null || text.isEmpty() || text.equals("0000-00-00 00:00:00") || text.equals("1970-01-01 00:00:00");
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
