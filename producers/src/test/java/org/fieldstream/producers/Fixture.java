package org.fieldstream.producers;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.fieldstream.producers.csv.CsvRowSource;

/**
 * A program P1 (started 2026-01-01), partner X, "today" 2026-03-10 in Dhaka, with cohort C1 (6 planned
 * sessions, session 1 held 2026-02-02), cohort C9 of partner Y, cohort C8 of program P2 and dialogue D1.
 */
final class Fixture {

    static final String SECRET = "fixture-program-secret-0001";
    static final Instant NOW = Instant.parse("2026-03-10T06:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final LocalDate START = LocalDate.parse("2026-01-01");

    final KnownAggregates known = new KnownAggregates(10_000);
    final Pseudonymizer pseudonymizer = new Pseudonymizer("P1", SECRET.getBytes(StandardCharsets.UTF_8));
    final RowConverter converter;

    Fixture(String source) {
        known.putCohort("P1/X/C1", new KnownAggregates.Cohort("P1", "X", "U1", 6, LocalDate.parse("2026-02-01")));
        known.putSession("P1/X/C1", 1, LocalDate.parse("2026-02-02"));
        known.putCohort("P1/Y/C9", new KnownAggregates.Cohort("P1", "Y", "U2", 6, LocalDate.parse("2026-02-01")));
        known.putCohort("P2/Z/C8", new KnownAggregates.Cohort("P2", "Z", "U3", 6, LocalDate.parse("2026-02-01")));
        known.putDialogue("P1/X/D1", new KnownAggregates.Dialogue("P1", "X", "U1", LocalDate.parse("2026-02-01")));
        converter = new RowConverter("P1", "X", source, START, pseudonymizer, known, 2, CLOCK);
    }

    Fixture() {
        this("csv");
    }

    static List<SourceRow> csvRows(String name, String text) {
        List<SourceRow> rows = new ArrayList<>();
        try (CsvRowSource source = CsvRowSource.open(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                name, null, false)) {
            for (SourceRow r = source.next(); r != null; r = source.next()) {
                rows.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UnusableInputException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    List<Outcome> convert(String name, String csv) {
        return csvRows(name, csv).stream().map(converter::convert).toList();
    }

    Outcome one(String csv) {
        List<Outcome> outcomes = convert("f.csv", csv);
        if (outcomes.size() != 1) {
            throw new IllegalStateException("expected one row, got " + outcomes.size());
        }
        return outcomes.get(0);
    }
}
