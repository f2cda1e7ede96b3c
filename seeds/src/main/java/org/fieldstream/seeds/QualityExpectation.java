package org.fieldstream.seeds;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.Sex;
import org.fieldstream.reference.Program;
import org.fieldstream.reference.ReferenceData;

/**
 * The data-quality scorecard a correct pipeline must show for a generated scenario ingested by its
 * delivery plan, per program, partner and month (docs/design.md, "Data quality"), computed in plain
 * Java from what the generator wrote: every valid row as sent, file by file, replayed in delivery
 * order as the producers would land it (one event per root, revision and retraction; the last copy of
 * an event gives its receipt and date, as field_events keeps it; an attendance dated by the latest
 * session date published before it, a retraction by its receipt), the planted malformed rows rejected
 * on each delivery of their file, and the programs' thresholds of the reference data. Shares nothing
 * with the dq views' SQL.
 *
 * <p>Rows are keyed {@code program|partner|yyyy-MM-01}: {@link #partnerMonth()} has the columns of
 * {@code dq_partner_month}, {@link #scorecard()} those of {@code dq_scorecard}. Cohorts past their end
 * depend on the day the view is read ({@code today}).
 */
public final class QualityExpectation {

    public static final List<String> PARTNER_MONTH = List.of("program_id", "partner_id", "month", "records",
            "median_days_to_receipt", "p90_days_to_receipt", "on_time_share", "corrections", "retractions",
            "held_sessions_without_attendance", "enrolments_unknown_sex_or_age", "records_outside_cohort_dates",
            "sessions_more_present_than_enrolled");
    public static final List<String> SCORECARD = List.of("program_id", "partner_id", "month", "records",
            "median_days_to_receipt", "p90_days_to_receipt", "on_time_share", "rows_received", "rows_rejected",
            "rejected_share", "records_sent_more_than_once", "duplicate_share", "late_edits", "attendance_waiting",
            "cohorts_open_after_end", "outlier_sessions", "min_on_time_share", "max_rejected_share",
            "max_duplicate_share", "max_late_edits", "status", "outside_measures");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One landed event: the last copy's dates, the earliest copy's record date and how many copies came. */
    private static final class Landed {
        final FieldRecord record;
        final int revision;
        final boolean retracted;
        LocalDate occurred;
        LocalDate received;
        LocalDate firstOccurred;
        int copies;

        Landed(FieldRecord record, int revision, boolean retracted) {
            this.record = record;
            this.revision = revision;
            this.retracted = retracted;
        }

        String aggregate() {
            return record.programId() + "/" + record.partnerId() + "/" + localId(record);
        }
    }

    private final Map<String, Map<String, Object>> partnerMonth;
    private final Map<String, Map<String, Object>> scorecard;

    /** The cohort or dialogue id a record belongs to. */
    private static String localId(FieldRecord r) {
        if (r instanceof FieldRecord.Dialogue d) {
            return d.dialogueId();
        }
        if (r instanceof FieldRecord.DialogueAttendee a) {
            return a.dialogueId();
        }
        if (r instanceof FieldRecord.Cohort c) {
            return c.cohortId();
        }
        if (r instanceof FieldRecord.Enrolment e) {
            return e.cohortId();
        }
        if (r instanceof FieldRecord.Session s) {
            return s.cohortId();
        }
        if (r instanceof FieldRecord.Attendance a) {
            return a.cohortId();
        }
        return ((FieldRecord.Exit) r).cohortId();
    }

    /** The record's own date as the producers date its event, or null when it has none of its own. */
    private static LocalDate ownDate(FieldRecord r, Map<String, LocalDate> sessionDates, Map<String, LocalDate> dialogueDates) {
        String aggregate = r.programId() + "/" + r.partnerId() + "/" + localId(r);
        if (r instanceof FieldRecord.Cohort c) {
            return c.startDate();
        }
        if (r instanceof FieldRecord.Enrolment e) {
            return e.enrolledOn();
        }
        if (r instanceof FieldRecord.Session x) {
            return x.heldOn();
        }
        if (r instanceof FieldRecord.Attendance a) {
            return sessionDates.get(aggregate + "|" + a.sessionNumber());
        }
        if (r instanceof FieldRecord.Exit x) {
            return x.exitedOn();
        }
        if (r instanceof FieldRecord.Dialogue g) {
            return g.heldOn();
        }
        return dialogueDates.get(aggregate);
    }

    /** The date of a current enrolment, held session or exit that validity checks against its cohort; else null. */
    private static LocalDate checkedDate(FieldRecord r) {
        if (r instanceof FieldRecord.Enrolment e) {
            return e.enrolledOn();
        }
        if (r instanceof FieldRecord.Session s) {
            return s.heldOn();
        }
        if (r instanceof FieldRecord.Exit x) {
            return x.exitedOn();
        }
        return null;
    }

    private final long eventCopies;
    private final Map<String, Long> rejectedByReason;

    private QualityExpectation(Map<String, Map<String, Object>> partnerMonth, Map<String, Map<String, Object>> scorecard, long eventCopies,
                               Map<String, Long> rejectedByReason) {
        this.partnerMonth = Collections.unmodifiableMap(partnerMonth);
        this.scorecard = Collections.unmodifiableMap(scorecard);
        this.eventCopies = eventCopies;
        this.rejectedByReason = Collections.unmodifiableMap(rejectedByReason);
    }

    /**
     * Rows rejected, as {@code dq_rejected_rows} counts them: key
     * {@code program|partner|yyyy-MM-01|source|field|reason_code} (month of the delivery that rejected them).
     */
    public Map<String, Long> rejectedByReason() {
        return rejectedByReason;
    }

    /** The producers' reason code of a planted malformed row's kind (seeds README, expected/rejected.csv). */
    static String reasonCode(String planted) {
        return switch (planted) {
            case "bad_date" -> "not_a_date";
            case "unknown_enum" -> "not_allowed_value";
            case "missing_required" -> "missing_value";
            case "not_a_number" -> "not_a_number";
            case "session_above_planned" -> "session_above_planned";
            default -> throw new IllegalArgumentException("no reason code for planted kind " + planted);
        };
    }

    /** Records the events topic gets: every copy of every event (event_copies). */
    public long eventCopies() {
        return eventCopies;
    }

    public Map<String, Map<String, Object>> partnerMonth() {
        return partnerMonth;
    }

    public Map<String, Map<String, Object>> scorecard() {
        return scorecard;
    }

    static QualityExpectation compute(List<SentRow> sent, List<DeliveryPlan.Delivery> plan,
                                      List<ScenarioGenerator.PlantedRejection> rejected, ReferenceData reference, LocalDate today) {
        Map<String, List<SentRow>> byFile = new HashMap<>();
        for (SentRow s : sent) {
            byFile.computeIfAbsent(s.file(), f -> new ArrayList<>()).add(s);
        }
        Map<String, Landed> landed = new LinkedHashMap<>();
        Map<String, LocalDate> sessionDates = new HashMap<>();
        Map<String, LocalDate> dialogueDates = new HashMap<>();
        Map<String, Long> rejectedRows = new TreeMap<>();
        Map<String, Long> byReason = new TreeMap<>();
        for (DeliveryPlan.Delivery d : plan) {
            for (SentRow s : byFile.getOrDefault(d.file(), List.of())) {
                FieldRecord r = s.record();
                LocalDate occurred;
                if (s.retracted()) {
                    occurred = d.day();
                } else {
                    occurred = ownDate(r, sessionDates, dialogueDates);
                    if (occurred == null) {
                        occurred = d.day();
                    }
                    if (r instanceof FieldRecord.Session x) {
                        sessionDates.put(r.programId() + "/" + r.partnerId() + "/" + x.cohortId() + "|" + x.sessionNumber(), x.heldOn());
                    } else if (r instanceof FieldRecord.Dialogue g) {
                        dialogueDates.put(r.programId() + "/" + r.partnerId() + "/" + g.dialogueId(), g.heldOn());
                    }
                }
                Landed e = landed.computeIfAbsent(r.rootKey() + "|" + s.revision() + "|" + s.retracted(),
                        k -> new Landed(r, s.revision(), s.retracted()));
                e.copies++;
                e.occurred = occurred;
                e.received = d.day();
                e.firstOccurred = e.firstOccurred == null || occurred.isBefore(e.firstOccurred) ? occurred : e.firstOccurred;
            }
            for (ScenarioGenerator.PlantedRejection p : rejected) {
                if (p.file().equals(d.file())) {
                    String partner = p.file().split("/")[0];
                    String program = reference.partner(partner).orElseThrow().getProgramId();
                    rejectedRows.merge(key(program, partner, d.day()), 1L, Long::sum);
                    byReason.merge(key(program, partner, d.day()) + "|" + (p.file().endsWith(".jsonl") ? "json" : "csv") + "|" + p.field()
                            + "|" + reasonCode(p.reason()), 1L, Long::sum);
                }
            }
        }
        return new Measures(landed.values(), reference, today).scorecard(rejectedRows, byReason);
    }

    private static String key(String program, String partner, LocalDate day) {
        return program + "|" + partner + "|" + YearMonth.from(day).atDay(1);
    }

    private static String key(FieldRecord r, LocalDate day) {
        return key(r.programId(), r.partnerId(), day);
    }

    /** The measures over the landed events; each adds to its own rows, created with zeros as in the views' unions. */
    private static final class Measures {
        private final List<Landed> events;
        private final ReferenceData reference;
        private final LocalDate today;
        /** Current record per root: the highest revision, void when that is a retraction. */
        private final List<Landed> current = new ArrayList<>();
        private final Map<String, Map<String, Object>> partnerMonth = new TreeMap<>();

        Measures(java.util.Collection<Landed> events, ReferenceData reference, LocalDate today) {
            this.events = List.copyOf(events);
            this.reference = reference;
            this.today = today;
            Map<String, Landed> latest = new LinkedHashMap<>();
            for (Landed e : this.events) {
                Landed l = latest.get(e.record.rootKey());
                if (l == null || e.revision > l.revision || (e.revision == l.revision && e.retracted)) {
                    latest.put(e.record.rootKey(), e);
                }
            }
            latest.values().stream().filter(e -> !e.retracted).forEach(current::add);
        }

        private Program program(String id) {
            return reference.program(id).orElseThrow();
        }

        private LocalDate deadline(String program, LocalDate month) {
            return month.plusMonths(1).plusDays(program(program).getReportingDeadlineDays() - 1L);
        }

        private static Map<String, Object> row(Map<String, Map<String, Object>> rows, String key, List<String> columns) {
            return rows.computeIfAbsent(key, k -> {
                String[] parts = k.split("\\|");
                Map<String, Object> row = new LinkedHashMap<>();
                for (String c : columns) {
                    row.put(c, switch (c) {
                        case "program_id" -> parts[0];
                        case "partner_id" -> parts[1];
                        case "month" -> parts[2];
                        case "median_days_to_receipt", "p90_days_to_receipt", "on_time_share", "rejected_share",
                             "duplicate_share", "min_on_time_share", "max_rejected_share", "max_duplicate_share" -> 0.0;
                        case "status", "outside_measures" -> "";
                        default -> 0L;
                    });
                }
                return row;
            });
        }

        private static void add(Map<String, Object> row, String column, long n) {
            row.put(column, (Long) row.get(column) + n);
        }

        private void partnerMonth() {
            Map<String, List<Landed>> dated = new TreeMap<>();
            for (Landed e : events) {
                if (!e.retracted) {
                    dated.computeIfAbsent(key(e.record, e.occurred), k -> new ArrayList<>()).add(e);
                } else {
                    add(row(partnerMonth, key(e.record, e.received), PARTNER_MONTH), "retractions", 1);
                }
            }
            dated.forEach((k, list) -> {
                Map<String, Object> row = row(partnerMonth, k, PARTNER_MONTH);
                LocalDate month = LocalDate.parse(k.split("\\|")[2]);
                List<Long> days = new ArrayList<>();
                long onTime = 0;
                for (Landed e : list) {
                    days.add(ChronoUnit.DAYS.between(e.occurred, e.received));
                    if (!e.received.isAfter(deadline(e.record.programId(), month))) {
                        onTime++;
                    }
                    if (e.revision > 1) {
                        add(row, "corrections", 1);
                    }
                }
                Collections.sort(days);
                row.put("records", (long) list.size());
                row.put("median_days_to_receipt", (double) days.get((int) Math.floor(0.5 * days.size())));
                row.put("p90_days_to_receipt", (double) days.get((int) Math.floor(0.9 * days.size())));
                row.put("on_time_share", (double) onTime / list.size());
            });
            Map<String, FieldRecord.Cohort> cohorts = new HashMap<>();
            Map<String, Set<String>> enrolled = new HashMap<>();
            Map<String, Set<String>> present = new HashMap<>();
            Set<String> marked = new HashSet<>();
            for (Landed e : current) {
                if (e.record instanceof FieldRecord.Cohort c) {
                    cohorts.put(e.aggregate(), c);
                } else if (e.record instanceof FieldRecord.Enrolment en) {
                    enrolled.computeIfAbsent(e.aggregate(), k -> new HashSet<>()).add(en.personKey());
                } else if (e.record instanceof FieldRecord.Attendance a) {
                    String session = e.aggregate() + "|" + a.sessionNumber();
                    marked.add(session);
                    Set<String> persons = present.computeIfAbsent(session, k -> new HashSet<>());
                    if (a.status() == AttendanceStatus.PRESENT) {
                        persons.add(a.personKey());
                    }
                }
            }
            for (Landed e : current) {
                LocalDate day = checkedDate(e.record);
                if (day == null) {
                    continue;
                }
                Map<String, Object> row = row(partnerMonth, key(e.record, day), PARTNER_MONTH);
                if (e.record instanceof FieldRecord.Enrolment en) {
                    Integer age = en.birthYear() != null ? Integer.valueOf(en.enrolledOn().getYear() - en.birthYear()) : en.age();
                    if (en.sex() == Sex.UNKNOWN || age == null || age < 0) {
                        add(row, "enrolments_unknown_sex_or_age", 1);
                    }
                }
                FieldRecord.Cohort c = cohorts.get(e.aggregate());
                if (c != null && (day.isBefore(c.startDate()) || (c.endDate() != null && day.isAfter(c.endDate())))) {
                    add(row, "records_outside_cohort_dates", 1);
                }
                if (e.record instanceof FieldRecord.Session s) {
                    String session = e.aggregate() + "|" + s.sessionNumber();
                    if (!marked.contains(session)) {
                        add(row, "held_sessions_without_attendance", 1);
                    }
                    if (present.getOrDefault(session, Set.of()).size() > enrolled.getOrDefault(e.aggregate(), Set.of()).size()) {
                        add(row, "sessions_more_present_than_enrolled", 1);
                    }
                }
            }
        }

        QualityExpectation scorecard(Map<String, Long> rejectedRows, Map<String, Long> byReason) {
            partnerMonth();
            Map<String, Map<String, Object>> card = new TreeMap<>();
            partnerMonth.forEach((k, pm) -> {
                Map<String, Object> row = row(card, k, SCORECARD);
                for (String c : List.of("records", "median_days_to_receipt", "p90_days_to_receipt", "on_time_share")) {
                    row.put(c, pm.get(c));
                }
            });
            for (Landed e : events) {
                add(row(card, key(e.record, e.received), SCORECARD), "rows_received", 1);
            }
            rejectedRows.forEach((k, n) -> add(row(card, k, SCORECARD), "rows_rejected", n));
            // late edits: by the month of the edited record as first sent (its lowest revision that is not a retraction)
            Map<String, Landed> first = new HashMap<>();
            for (Landed e : events) {
                if (!e.retracted) {
                    first.merge(e.record.rootKey(), e, (a, b) -> b.revision < a.revision ? b : a);
                }
            }
            for (Landed e : events) {
                Landed original = first.get(e.record.rootKey());
                if ((e.revision > 1 || e.retracted) && original != null) {
                    LocalDate month = YearMonth.from(original.occurred).atDay(1);
                    Map<String, Object> row = row(card, key(e.record, month), SCORECARD);
                    if (e.received.isAfter(deadline(e.record.programId(), month))) {
                        add(row, "late_edits", 1);
                    }
                }
            }
            // attendance waiting for a session never held, by the attendance's month
            Set<String> held = new HashSet<>();
            Map<String, Integer> heldCount = new HashMap<>();
            Map<String, Integer> exits = new HashMap<>();
            Map<String, FieldRecord.Cohort> cohorts = new HashMap<>();
            Map<String, LocalDate> sessionDay = new TreeMap<>();
            Map<String, Set<String>> present = new HashMap<>();
            for (Landed e : current) {
                if (e.record instanceof FieldRecord.Session s) {
                    held.add(e.aggregate() + "|" + s.sessionNumber());
                    heldCount.merge(e.aggregate(), 1, Integer::sum);
                    sessionDay.put(e.aggregate() + "|" + s.sessionNumber(), s.heldOn());
                } else if (e.record instanceof FieldRecord.Exit) {
                    exits.merge(e.aggregate(), 1, Integer::sum);
                } else if (e.record instanceof FieldRecord.Cohort c) {
                    cohorts.put(e.aggregate(), c);
                } else if (e.record instanceof FieldRecord.Attendance a) {
                    Set<String> persons = present.computeIfAbsent(e.aggregate() + "|" + a.sessionNumber(), k -> new HashSet<>());
                    if (a.status() == AttendanceStatus.PRESENT) {
                        persons.add(a.personKey());
                    }
                }
            }
            for (Landed e : current) {
                if (e.record instanceof FieldRecord.Attendance a) {
                    Map<String, Object> row = row(card, key(e.record, e.occurred), SCORECARD);
                    if (!held.contains(e.aggregate() + "|" + a.sessionNumber())) {
                        add(row, "attendance_waiting", 1);
                    }
                }
            }
            // cohorts past their end left open
            cohorts.forEach((aggregate, c) -> {
                if (c.endDate() != null && c.endDate().isBefore(today)) {
                    Map<String, Object> row = row(card, key(c, c.endDate()), SCORECARD);
                    if (exits.getOrDefault(aggregate, 0) == 0 && heldCount.getOrDefault(aggregate, 0) < c.plannedSessions()) {
                        add(row, "cohorts_open_after_end", 1);
                    }
                }
            });
            // attendance outliers against the partner's own history of held sessions with attendance
            Map<String, List<Long>> history = new TreeMap<>();
            Map<String, List<Object[]>> sessionsOf = new TreeMap<>();
            sessionDay.forEach((session, day) -> {
                Set<String> persons = present.get(session);
                if (persons != null) {
                    String[] parts = session.split("/");
                    String partner = parts[0] + "|" + parts[1];
                    history.computeIfAbsent(partner, k -> new ArrayList<>()).add((long) persons.size());
                    sessionsOf.computeIfAbsent(partner, k -> new ArrayList<>()).add(new Object[] {day, (long) persons.size()});
                }
            });
            history.forEach((partner, counts) -> {
                List<Double> sorted = counts.stream().map(Long::doubleValue).sorted().toList();
                double median = sorted.get(sorted.size() / 2);
                List<Double> deviations = sorted.stream().map(x -> Math.abs(x - median)).sorted().toList();
                double mad = deviations.get(deviations.size() / 2);
                String[] pp = partner.split("\\|");
                for (Object[] s : sessionsOf.get(partner)) {
                    double x = (long) s[1];
                    Map<String, Object> row = row(card, key(pp[0], pp[1], (LocalDate) s[0]), SCORECARD);
                    boolean outlier = mad == 0 ? x != median : 0.6745 * Math.abs(x - median) / mad > 3.5;
                    if (outlier) {
                        add(row, "outlier_sessions", 1);
                    }
                }
            });
            // rows sent more than once, by the earliest record date of the event's copies
            Map<String, long[]> copies = new TreeMap<>();
            for (Landed e : events) {
                long[] c = copies.computeIfAbsent(key(e.record, e.firstOccurred), k -> new long[2]);
                c[0]++;
                if (e.copies > 1) {
                    c[1]++;
                }
            }
            copies.forEach((k, c) -> {
                Map<String, Object> row = row(card, k, SCORECARD);
                row.put("records_sent_more_than_once", c[1]);
                row.put("duplicate_share", (double) c[1] / c[0]);
            });
            card.forEach((k, row) -> status(row));
            return new QualityExpectation(partnerMonth, card, events.stream().mapToLong(e -> e.copies).sum(), byReason);
        }

        private void status(Map<String, Object> row) {
            Program p = program((String) row.get("program_id"));
            long received = (Long) row.get("rows_received");
            long rejected = (Long) row.get("rows_rejected");
            double rejectedShare = received + rejected == 0 ? 0.0 : (double) rejected / (received + rejected);
            row.put("rejected_share", rejectedShare);
            row.put("min_on_time_share", p.getDqMinOnTimeShare());
            row.put("max_rejected_share", p.getDqMaxRejectedShare());
            row.put("max_duplicate_share", p.getDqMaxDuplicateShare());
            row.put("max_late_edits", (long) p.getDqMaxLateEdits());
            List<String> outside = new ArrayList<>();
            if ((Long) row.get("records") > 0 && (Double) row.get("on_time_share") < p.getDqMinOnTimeShare()) {
                outside.add("on_time_share");
            }
            if (rejectedShare > p.getDqMaxRejectedShare()) {
                outside.add("rejected_share");
            }
            if ((Double) row.get("duplicate_share") > p.getDqMaxDuplicateShare()) {
                outside.add("duplicate_share");
            }
            if ((Long) row.get("late_edits") > p.getDqMaxLateEdits()) {
                outside.add("late_edits");
            }
            row.put("status", outside.isEmpty() ? "within" : "outside");
            row.put("outside_measures", String.join(",", outside));
        }
    }

    /**
     * Writes {@code dq_partner_month.jsonl}, {@code dq_scorecard.jsonl} and {@code dq_rejected_rows.jsonl},
     * one object per row, sorted by key.
     */
    void write(Path dir) {
        write(dir.resolve("dq_partner_month.jsonl"), partnerMonth);
        write(dir.resolve("dq_scorecard.jsonl"), scorecard);
        Map<String, Map<String, Object>> reasons = new TreeMap<>();
        rejectedByReason.forEach((k, n) -> {
            String[] parts = k.split("\\|", -1);
            Map<String, Object> row = new LinkedHashMap<>();
            List<String> columns = List.of("program_id", "partner_id", "month", "source", "field", "reason_code");
            for (int i = 0; i < columns.size(); i++) {
                row.put(columns.get(i), parts[i]);
            }
            row.put("rows_rejected", n);
            reasons.put(k, row);
        });
        write(dir.resolve("dq_rejected_rows.jsonl"), reasons);
    }

    private static void write(Path file, Map<String, Map<String, Object>> rows) {
        try {
            Files.createDirectories(file.getParent());
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (Map<String, Object> row : rows.values()) {
                    ObjectNode node = JSON.createObjectNode();
                    row.forEach((k, v) -> {
                        if (v instanceof Long l) {
                            node.put(k, l);
                        } else if (v instanceof Double d) {
                            node.put(k, d);
                        } else {
                            node.put(k, (String) v);
                        }
                    });
                    w.write(JSON.writeValueAsString(node));
                    w.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
