package org.fieldstream.seeds;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a record's row to the partner files and, when ground truth is kept, feeds the same row to
 * the {@link Ledger}, so expected metrics see exactly the valid rows that were written; with ground
 * truth it also keeps every valid row as sent, file by file ({@link #sent()}), for the expected
 * data-quality scorecard, which depends on when each copy of a row arrives.
 */
final class Emitter {

    static final YearMonth FIRST_MONTH = YearMonth.of(2026, 1);
    static final YearMonth LAST_MONTH = YearMonth.of(2026, 6);
    /** Nothing happens after this day: later sessions are not held yet. */
    static final LocalDate CUTOFF = LAST_MONTH.atEndOfMonth();

    private final PartnerFiles files;
    private final Ledger ledger;
    private final List<SentRow> sent = new ArrayList<>();

    Emitter(PartnerFiles files, Ledger ledger) {
        this.files = files;
        this.ledger = ledger;
    }

    /** Every valid row written, in file order (empty without ground truth). */
    List<SentRow> sent() {
        return List.copyOf(sent);
    }

    /** A valid revision-1 row in the file of the given date's month. */
    void emit(FieldRecord record, LocalDate date, Map<String, String> values) {
        String file = files.write(record.partnerId(), YearMonth.from(date), record.layout(), values);
        accept(file, record, 1, false);
    }

    /** The same row again in the same file: an exact duplicate. */
    void duplicate(FieldRecord record, LocalDate date, Map<String, String> values) {
        emit(record, date, values);
    }

    /** A later revision in the corrections file of the month after the original's month. */
    void correct(FieldRecord record, LocalDate originalDate, Map<String, String> values, int revision, boolean retracted) {
        String file = files.writeCorrection(record.partnerId(), correctionMonth(originalDate), record.layout(), values, revision, retracted);
        accept(file, record, revision, retracted);
    }

    void malformed(String partner, LocalDate date, String layout, Map<String, String> values, String field, String reason) {
        files.writeMalformed(partner, YearMonth.from(date), layout, values, field, reason);
    }

    static YearMonth correctionMonth(LocalDate original) {
        YearMonth next = YearMonth.from(original).plusMonths(1);
        return next.isAfter(LAST_MONTH) ? LAST_MONTH : next;
    }

    private void accept(String file, FieldRecord record, int revision, boolean retracted) {
        if (ledger != null) {
            ledger.accept(record, revision, retracted);
            sent.add(new SentRow(file, record, revision, retracted));
        }
    }
}
