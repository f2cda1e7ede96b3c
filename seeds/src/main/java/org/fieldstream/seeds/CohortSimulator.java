package org.fieldstream.seeds;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.ExitReason;
import org.fieldstream.events.Sex;

/**
 * One training cohort: registration, enrolments (a few late), sessions held up to the cut-off,
 * attendance per person following a behaviour (committed, early or late dropout, comes back after a
 * gap, transfer, irregular), exits (explicit dropouts, transfers, completions, other), and what
 * partners really send: duplicate rows, corrections, retractions and planted malformed rows.
 * Sessions run on Bangladeshi working days (Sunday to Thursday).
 */
final class CohortSimulator {

    /** A partner that runs trainings. */
    record TrainingPartner(String partnerId, String programId, String keyPrefix, People.Kind kind, int plannedSessions,
                           int daysBetweenSessions, List<String> orgUnits, List<String> topics, String targetGroup,
                           boolean nationalId) {
    }

    private enum Behaviour { COMMITTED, EARLY_DROPOUT, LATE_DROPOUT, COMES_BACK, TRANSFER, IRREGULAR }

    static final int MALFORMED_KINDS = 6;

    private final Emitter out;
    private final People people;
    private final PersonCounters counters;

    CohortSimulator(Emitter out, People people, PersonCounters counters) {
        this.out = out;
        this.people = people;
        this.counters = counters;
    }

    void simulate(int index, TrainingPartner tp, SplittableRandom r) {
        String cohortId = tp.partnerId() + (tp.kind() == People.Kind.YOUTH ? "-yt-" : "-cbo-") + String.format("%05d", index);
        LocalDate start = workday(LocalDate.of(2026, 1, 4).plusDays(r.nextInt(0, 171)));
        List<LocalDate> dates = schedule(start, tp.plannedSessions(), tp.daysBetweenSessions());
        List<LocalDate> held = dates.stream().filter(d -> !d.isAfter(Emitter.CUTOFF)).toList();
        FieldRecord.Cohort cohort = new FieldRecord.Cohort(tp.programId(), tp.partnerId(), cohortId,
                People.pick(r, tp.topics()), tp.plannedSessions(), start, dates.get(dates.size() - 1),
                People.pick(r, tp.orgUnits()), tp.targetGroup());
        out.emit(cohort, start, Rows.cohort(cohort));
        emitSessions(cohort, held, r);
        boolean recordsAbsentAfterLeaving = r.nextBoolean();
        boolean sendsCompletions = r.nextDouble() < 0.6;
        for (String key : members(tp, r)) {
            simulatePerson(tp, cohort, key, dates, held, recordsAbsentAfterLeaving, sendsCompletions, r);
        }
        plantMalformed(index, cohort, held, r);
    }

    private void emitSessions(FieldRecord.Cohort c, List<LocalDate> held, SplittableRandom r) {
        for (int i = 0; i < held.size(); i++) {
            FieldRecord.Session s = new FieldRecord.Session(c.programId(), c.partnerId(), c.cohortId(), i + 1, held.get(i));
            double u = r.nextDouble();
            if (u < 0.02) {
                // typed the next day first, corrected later: the correction decides the session's month
                FieldRecord.Session wrong = new FieldRecord.Session(s.programId(), s.partnerId(), s.cohortId(), i + 1, s.heldOn().plusDays(1));
                out.emit(wrong, wrong.heldOn(), Rows.session(wrong));
                out.correct(s, wrong.heldOn(), Rows.session(s), 2, false);
            } else {
                out.emit(s, s.heldOn(), Rows.session(s));
                if (u < 0.04) {
                    out.duplicate(s, s.heldOn(), Rows.session(s));
                }
            }
        }
    }

    private Set<String> members(TrainingPartner tp, SplittableRandom r) {
        int size = r.nextInt(20, 31);
        Set<String> keys = new LinkedHashSet<>();
        while (keys.size() < size) {
            int known = counters.count(tp.keyPrefix(), tp.kind());
            int index = known > 0 && r.nextDouble() < 0.1 ? r.nextInt(known) : counters.next(tp.keyPrefix(), tp.kind());
            keys.add(People.key(tp.keyPrefix(), tp.kind(), index));
        }
        return keys;
    }

    private void simulatePerson(TrainingPartner tp, FieldRecord.Cohort c, String key, List<LocalDate> dates, List<LocalDate> held,
                                boolean recordsAbsentAfterLeaving, boolean sendsCompletions, SplittableRandom r) {
        People.Person p = people.person(key, tp.kind());
        LocalDate enrolledOn = r.nextDouble() < 0.85 || dates.size() < 3
                ? c.startDate().minusDays(r.nextInt(0, 7))
                : dates.get(r.nextInt(1, 3));
        boolean retracted = enrol(tp, c, p, enrolledOn, r);
        Behaviour behaviour = behaviour(r);
        int planned = c.plannedSessions();
        int stopAfter = switch (behaviour) {
            case EARLY_DROPOUT -> r.nextInt(1, Math.max(2, planned / 3 + 1));
            case LATE_DROPOUT -> r.nextInt(planned / 3 + 1, Math.max(planned / 3 + 2, planned * 3 / 4));
            case TRANSFER -> r.nextInt(2, Math.max(3, planned / 2));
            default -> Integer.MAX_VALUE;
        };
        int gapFrom = r.nextInt(2, Math.max(3, planned / 3 + 1));
        int gapLength = r.nextInt(3, 5);
        int onRoll = 0;
        int present = 0;
        int lastPresent = 0;
        for (int i = 0; i < held.size(); i++) {
            if (held.get(i).isBefore(enrolledOn)) {
                continue;
            }
            onRoll++;
            boolean left = onRoll > stopAfter;
            boolean isPresent = !left && presence(behaviour, onRoll, gapFrom, gapLength, r);
            if (isPresent) {
                present++;
                lastPresent = i + 1;
            }
            if (isPresent || !left || recordsAbsentAfterLeaving) {
                AttendanceStatus status = isPresent ? AttendanceStatus.PRESENT
                        : r.nextDouble() < 0.2 ? AttendanceStatus.EXCUSED : AttendanceStatus.ABSENT;
                attend(new FieldRecord.Attendance(c.programId(), c.partnerId(), c.cohortId(), i + 1, key, status), held.get(i), r);
            }
        }
        if (!retracted) {
            exit(c, key, behaviour, stopAfter, onRoll, present, lastPresent, held, sendsCompletions, r);
        }
    }

    /** Writes the enrolment with its mess; returns whether it ends retracted. */
    private boolean enrol(TrainingPartner tp, FieldRecord.Cohort c, People.Person p, LocalDate enrolledOn, SplittableRandom r) {
        double form = r.nextDouble();
        Integer birthYear = form < 0.75 ? Integer.valueOf(p.birthYear()) : null;
        Integer age = form >= 0.75 && form < 0.95 ? Integer.valueOf(enrolledOn.getYear() - p.birthYear()) : null;
        FieldRecord.Enrolment e = new FieldRecord.Enrolment(c.programId(), c.partnerId(), c.cohortId(), p.key(), p.sex(),
                birthYear, age, enrolledOn);
        double u = r.nextDouble();
        if (u < 0.03) {
            // first typed with a wrong birth year and sex, corrected next month
            FieldRecord.Enrolment wrong = new FieldRecord.Enrolment(e.programId(), e.partnerId(), e.cohortId(), e.personKey(),
                    e.sex() == Sex.FEMALE ? Sex.MALE : Sex.FEMALE, p.birthYear() - 12, null, enrolledOn);
            out.emit(wrong, enrolledOn, Rows.enrolment(wrong, p, tp.nationalId(), r));
            out.correct(e, enrolledOn, Rows.enrolment(e, p, tp.nationalId(), r), 2, false);
            return false;
        }
        Map<String, String> row = Rows.enrolment(e, p, tp.nationalId(), r);
        out.emit(e, enrolledOn, row);
        if (u < 0.05) {
            out.correct(e, enrolledOn, row, 2, true);
            return true;
        }
        if (u < 0.07) {
            out.duplicate(e, enrolledOn, row);
        }
        return false;
    }

    private void attend(FieldRecord.Attendance a, LocalDate heldOn, SplittableRandom r) {
        double u = r.nextDouble();
        if (u < 0.015) {
            AttendanceStatus flipped = a.status() == AttendanceStatus.PRESENT ? AttendanceStatus.ABSENT : AttendanceStatus.PRESENT;
            FieldRecord.Attendance wrong = new FieldRecord.Attendance(a.programId(), a.partnerId(), a.cohortId(),
                    a.sessionNumber(), a.personKey(), flipped);
            out.emit(wrong, heldOn, Rows.attendance(wrong));
            out.correct(a, heldOn, Rows.attendance(a), 2, false);
            return;
        }
        Map<String, String> row = Rows.attendance(a);
        out.emit(a, heldOn, row);
        if (u < 0.02 && a.status() == AttendanceStatus.PRESENT) {
            out.correct(a, heldOn, row, 2, true);
        } else if (u < 0.03) {
            out.duplicate(a, heldOn, row);
        }
    }

    private void exit(FieldRecord.Cohort c, String key, Behaviour behaviour, int stopAfter, int onRoll, int present,
                      int lastPresent, List<LocalDate> held, boolean sendsCompletions, SplittableRandom r) {
        boolean allHeld = held.size() == c.plannedSessions();
        ExitReason reason = null;
        LocalDate on = null;
        if (behaviour == Behaviour.TRANSFER && onRoll > stopAfter) {
            reason = ExitReason.TRANSFERRED;
            on = held.get(Math.min(held.size() - 1, lastPresent));
        } else if ((behaviour == Behaviour.EARLY_DROPOUT || behaviour == Behaviour.LATE_DROPOUT)
                && onRoll > stopAfter + 2 && r.nextDouble() < 0.4) {
            reason = ExitReason.DROPPED_OUT;
            on = held.get(Math.min(held.size() - 1, lastPresent + 2));
        } else if (allHeld && sendsCompletions && onRoll > 0) {
            double rate = (double) present / onRoll;
            if (rate >= 0.8 || (rate >= 0.65 && r.nextDouble() < 0.3)) {
                reason = ExitReason.COMPLETED;
                on = held.get(held.size() - 1);
            }
        } else if (onRoll > 0 && r.nextDouble() < 0.01) {
            reason = ExitReason.OTHER;
            on = held.get(Math.max(0, lastPresent - 1));
        }
        if (reason == null) {
            return;
        }
        FieldRecord.Exit x = new FieldRecord.Exit(c.programId(), c.partnerId(), c.cohortId(), key, reason, on);
        if (reason == ExitReason.DROPPED_OUT && r.nextDouble() < 0.1) {
            FieldRecord.Exit first = new FieldRecord.Exit(x.programId(), x.partnerId(), x.cohortId(), key, ExitReason.OTHER, on);
            out.emit(first, on, Rows.exit(first));
            out.correct(x, on, Rows.exit(x), 2, false);
        } else {
            out.emit(x, on, Rows.exit(x));
        }
    }

    private static Behaviour behaviour(SplittableRandom r) {
        double u = r.nextDouble();
        if (u < 0.60) {
            return Behaviour.COMMITTED;
        }
        if (u < 0.77) {
            return Behaviour.EARLY_DROPOUT;
        }
        if (u < 0.82) {
            return Behaviour.LATE_DROPOUT;
        }
        if (u < 0.90) {
            return Behaviour.COMES_BACK;
        }
        return u < 0.93 ? Behaviour.TRANSFER : Behaviour.IRREGULAR;
    }

    private static boolean presence(Behaviour b, int onRoll, int gapFrom, int gapLength, SplittableRandom r) {
        return switch (b) {
            case COMMITTED -> r.nextDouble() < 0.93;
            case COMES_BACK -> (onRoll < gapFrom || onRoll >= gapFrom + gapLength) && r.nextDouble() < 0.88;
            case IRREGULAR -> r.nextDouble() < 0.65;
            default -> r.nextDouble() < 0.85;
        };
    }

    /** Planted malformed rows: two kinds per cohort, rotating so three cohorts cover all six. */
    private void plantMalformed(int index, FieldRecord.Cohort c, List<LocalDate> held, SplittableRandom r) {
        for (int k = 0; k < 2; k++) {
            int kind = (2 * index + k) % MALFORMED_KINDS;
            LocalDate date = held.get(r.nextInt(held.size()));
            int session = held.indexOf(date) + 1;
            String stray = c.cohortId().toUpperCase() + "-X-" + k;
            Map<String, String> v = new java.util.LinkedHashMap<>();
            v.put("cohort_id", c.cohortId());
            switch (kind) {
                case 0 -> {
                    v.put("person_key", stray);
                    v.put("sex", "female");
                    v.put("enrolled_on", "2026-02-30");
                    out.malformed(c.partnerId(), date, "enrolments", v, "enrolled_on", "bad_date");
                }
                case 1 -> {
                    v.put("session_number", Integer.toString(session));
                    v.put("person_key", stray);
                    v.put("status", "presnt");
                    out.malformed(c.partnerId(), date, "attendance", v, "status", "unknown_enum");
                }
                case 2 -> {
                    v.put("person_key", null);
                    v.put("sex", "male");
                    v.put("enrolled_on", date.toString());
                    out.malformed(c.partnerId(), date, "enrolments", v, "person_key", "missing_required");
                }
                case 3 -> {
                    v.put("session_number", "three");
                    v.put("person_key", stray);
                    v.put("status", "present");
                    out.malformed(c.partnerId(), date, "attendance", v, "session_number", "not_a_number");
                }
                case 4 -> {
                    v.put("session_number", Integer.toString(c.plannedSessions() + 1));
                    v.put("held_on", date.toString());
                    out.malformed(c.partnerId(), date, "sessions", v, "session_number", "session_above_planned");
                }
                default -> {
                    v.put("person_key", stray);
                    v.put("reason", "graduated");
                    v.put("exited_on", date.toString());
                    out.malformed(c.partnerId(), date, "exits", v, "reason", "unknown_enum");
                }
            }
        }
    }

    static LocalDate workday(LocalDate d) {
        LocalDate day = d;
        while (day.getDayOfWeek() == DayOfWeek.FRIDAY || day.getDayOfWeek() == DayOfWeek.SATURDAY) {
            day = day.plusDays(1);
        }
        return day;
    }

    private static List<LocalDate> schedule(LocalDate start, int sessions, int daysBetween) {
        List<LocalDate> dates = new ArrayList<>();
        LocalDate day = start;
        for (int i = 0; i < sessions; i++) {
            dates.add(day);
            day = workday(day.plusDays(daysBetween));
        }
        return dates;
    }
}
