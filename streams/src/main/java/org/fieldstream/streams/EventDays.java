package org.fieldstream.streams;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Event time of the metrics, by day. Every record of the event model is dated by a day of its own
 * (a registration by its start date, an enrolment by its enrolment date, a session or dialogue by
 * its held date, an exit by its exit date when one is given) and the ingest sets {@code occurred_at}
 * to the start of that day in {@link #ZONE}. An attendance has no date of its own: it takes the date
 * of its session or dialogue, also where the ingest did not know it and used the receive time.
 * A metric row's {@code as_of} is the start of the latest such day among the records it reflects,
 * so it never depends on when a record was received or recomputed.
 */
final class EventDays {

    /** The zone in which the ingest turns a record's date into its {@code occurred_at}. */
    static final ZoneId ZONE = ZoneId.of("Asia/Dhaka");

    /** No day: a record without a date of its own (an exit without exit date). */
    static final int NONE = Integer.MIN_VALUE;

    private EventDays() {
    }

    static int of(LocalDate date) {
        return date == null ? NONE : (int) date.toEpochDay();
    }

    static LocalDate date(int day) {
        return LocalDate.ofEpochDay(day);
    }

    /** The start of {@code day} in {@link #ZONE}: the {@code occurred_at} the ingest gives a record of that day. */
    static Instant instant(int day) {
        return LocalDate.ofEpochDay(day).atStartOfDay(ZONE).toInstant();
    }
}
