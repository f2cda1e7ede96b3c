package org.fieldstream.producers;

import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.DialogueKind;
import org.fieldstream.events.ExitReason;
import org.fieldstream.events.Sex;

/**
 * The value rules a row's fields meet, whatever its layout: dates within what ClickHouse stores, the
 * program's start and end and not after today (Asia/Dhaka) plus a tolerance; org units that exist
 * where the reference data is known; bounded numbers and texts; the enum symbols partners may write.
 * Every violation is a {@link RowRejection} naming the field.
 */
final class ValueRules {

    static final String FIRST_DATE = "1970-01-01";
    static final String LAST_DATE = "2105-12-31";
    static final int MAX_SESSIONS = 1000;
    static final int MAX_ATTENDEE_NO = 1_000_000;
    static final int MAX_TEXT = 500;
    static final int MAX_PERSON_KEY = 200;
    static final LocalDate EARLIEST = LocalDate.parse(FIRST_DATE);
    static final LocalDate LATEST = LocalDate.parse(LAST_DATE);

    static final Map<String, Sex> SEXES = Map.of("female", Sex.FEMALE, "f", Sex.FEMALE, "male", Sex.MALE,
            "m", Sex.MALE, "other", Sex.OTHER, "unknown", Sex.UNKNOWN);
    static final List<String> SEX_NAMES = List.of("female", "male", "other", "unknown");
    static final Map<String, AttendanceStatus> STATUSES = lowerNames(AttendanceStatus.values());
    static final Map<String, ExitReason> REASONS = lowerNames(ExitReason.values());
    static final Map<String, DialogueKind> KINDS = lowerNames(DialogueKind.values());

    private final LocalDate programStart;
    private final LocalDate programEnd;
    private final Predicate<String> orgUnitExists;
    private final int toleranceDays;
    private final Clock clock;

    ValueRules(LocalDate programStart, LocalDate programEnd, Predicate<String> orgUnitExists, int toleranceDays, Clock clock) {
        this.programStart = programStart;
        this.programEnd = programEnd;
        this.orgUnitExists = orgUnitExists;
        this.toleranceDays = toleranceDays;
        this.clock = clock;
    }

    int thisYear() {
        return LocalDate.now(clock.withZone(RowConverter.ZONE)).getYear();
    }

    /** A record's own date: within the program and not later than today plus the tolerance. */
    LocalDate inRange(String field, LocalDate date) {
        withinProgram(field, date);
        LocalDate latest = LocalDate.now(clock.withZone(RowConverter.ZONE)).plusDays(toleranceDays);
        if (date.isAfter(latest)) {
            throw new RowRejection(field, "date_in_future", date + " is in the future (latest accepted " + latest + ")");
        }
        return date;
    }

    /** Any date: within the program's start and end, and within what ClickHouse can store. */
    void withinProgram(String field, LocalDate date) {
        if (date.isBefore(EARLIEST) || date.isAfter(LATEST)) {
            throw new RowRejection(field, "out_of_range", date + " is outside " + FIRST_DATE + ".." + LAST_DATE);
        }
        if (programStart != null && date.isBefore(programStart)) {
            throw new RowRejection(field, "before_program_start", date + " is before the program start " + programStart);
        }
        if (programEnd != null && date.isAfter(programEnd)) {
            throw new RowRejection(field, "after_program_end", date + " is after the program end " + programEnd);
        }
    }

    /** A well-formed id and, where the reference data is known, an existing org unit. */
    String orgUnit(Cells cells) {
        String orgUnit = Cells.id("org_unit_id", cells.required("org_unit_id"));
        if (!orgUnitExists.test(orgUnit)) {
            throw new RowRejection("org_unit_id", "unknown_org_unit", "unknown org unit " + cells.show("org_unit_id", orgUnit)
                    + " (not in the reference org units)");
        }
        return orgUnit;
    }

    private static <E extends Enum<E>> Map<String, E> lowerNames(E[] values) {
        Map<String, E> map = new LinkedHashMap<>();
        for (E e : values) {
            map.put(e.name().toLowerCase(Locale.ROOT), e);
        }
        return Map.copyOf(map);
    }

    static <E> List<String> names(Map<String, E> symbols) {
        return symbols.keySet().stream().sorted().toList();
    }
}
