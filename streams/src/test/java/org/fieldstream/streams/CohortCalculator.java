package org.fieldstream.streams;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.fieldstream.events.ExitReason;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;

/**
 * Test oracle: retention metrics of one cohort recomputed from its {@link CohortView}, as the
 * streams application once did at every punctuation. Rates are computed per person and then
 * counted; transferred persons leave every denominator. Rows carry version 0 and updated_at epoch.
 *
 * <p>as_of is the start (Asia/Dhaka, the ingest's zone) of the latest date among the records a row
 * reflects: a participant row the cohort's registration start and held sessions' dates
 * ({@link CohortView#cohortDate}) and the person's enrolment and dated exits
 * ({@link CohortView#personDate}); a presence takes its session's date, so it adds nothing. A total
 * or group row: the cohort's dates and those of every person it counts (transferred included); a
 * survival point: that of its grain's row (the cohort total's, or its sex x age band group's).
 */
final class CohortCalculator {

    static final String ALL = "all";

    private CohortCalculator() {
    }

    /** Per-person figures; the unit every cohort figure is counted from. */
    record Person(String personId, String sex, String ageBand, LocalDate enrolledOn, String status,
                  int expected, int attended, Integer lastPresent, LocalDate asOf) {
    }

    static final java.time.ZoneId ZONE = java.time.ZoneId.of("Asia/Dhaka");

    record Result(List<CohortRetention> totals, List<CohortRetention> groups,
                  List<ParticipantProgress> participants, List<RetentionCurvePoint> curve) {
        static final Result EMPTY = new Result(List.of(), List.of(), List.of(), List.of());
    }

    static Result compute(CohortView view, ProgramParams params) {
        FieldEvent envelope = view.envelope();
        if (envelope == null) {
            return Result.EMPTY;
        }
        List<Person> persons = new ArrayList<>();
        for (Map.Entry<String, FieldEvent> e : view.enrolments.entrySet()) {
            persons.add(person(view, e.getKey(), e.getValue(), params));
        }
        List<CohortRetention> totals = List.of(retention(view, envelope, ALL, ALL, persons));
        Map<String, List<Person>> byGroup = new TreeMap<>();
        for (Person p : persons) {
            byGroup.computeIfAbsent(Keys.join(p.sex(), p.ageBand()), k -> new ArrayList<>()).add(p);
        }
        List<CohortRetention> groups = new ArrayList<>();
        List<RetentionCurvePoint> curve = new ArrayList<>(curve(view, envelope, ALL, ALL, persons, totals.get(0).getAsOf()));
        byGroup.forEach((group, members) -> {
            CohortRetention row = retention(view, envelope, members.get(0).sex(), members.get(0).ageBand(), members);
            groups.add(row);
            curve.addAll(curve(view, envelope, row.getSex(), row.getAgeBand(), members, row.getAsOf()));
        });
        List<ParticipantProgress> participants = persons.stream()
                .map(p -> progress(view, envelope, p)).toList();
        return new Result(totals, groups, participants, curve);
    }

    static Person person(CohortView view, String personId, FieldEvent enrolmentEvent, ProgramParams params) {
        ParticipantEnrolled enrolment = (ParticipantEnrolled) enrolmentEvent.getPayload();
        LocalDate enrolledOn = enrolment.getEnrolledOn();
        List<Boolean> presentAtExpected = new ArrayList<>();
        Integer lastPresent = null;
        for (Map.Entry<Integer, LocalDate> session : view.sessions.entrySet()) {
            if (session.getValue().isBefore(enrolledOn)) {
                continue;
            }
            boolean present = view.present(session.getKey(), personId);
            presentAtExpected.add(present);
            if (present) {
                lastPresent = session.getKey();
            }
        }
        Set<ExitReason> exits = view.exits.getOrDefault(personId, Set.of());
        String status = StatusRule.status(exits, view.allHeld(), presentAtExpected, params);
        int attended = (int) presentAtExpected.stream().filter(Boolean::booleanValue).count();
        return new Person(personId, sex(enrolment), AgeBand.atEnrolment(enrolment.getAge(), enrolment.getBirthYear(), enrolledOn),
                enrolledOn, status, presentAtExpected.size(), attended, lastPresent,
                CohortView.later(view.cohortDate(), view.personDate(personId)));
    }

    static String sex(ParticipantEnrolled enrolment) {
        return enrolment.getSex() == null ? "unknown" : enrolment.getSex().name().toLowerCase(Locale.ROOT);
    }

    static Instant instant(LocalDate date) {
        return date.atStartOfDay(ZONE).toInstant();
    }

    private static CohortRetention retention(CohortView view, FieldEvent envelope, String sex, String ageBand,
                                             List<Person> persons) {
        LocalDate asOf = view.cohortDate();
        int enrolled = 0;
        int active = 0;
        int completed = 0;
        int droppedOut = 0;
        int transferred = 0;
        int present = 0;
        int expected = 0;
        for (Person p : persons) {
            asOf = CohortView.later(asOf, p.asOf());
            switch (p.status()) {
                case StatusRule.TRANSFERRED -> transferred++;
                case StatusRule.COMPLETED -> completed++;
                case StatusRule.DROPPED_OUT -> droppedOut++;
                default -> active++;
            }
            if (!StatusRule.TRANSFERRED.equals(p.status())) {
                enrolled++;
                present += p.attended();
                expected += p.expected();
            }
        }
        return CohortRetention.newBuilder()
                .setProgramId(envelope.getProgramId()).setPartnerId(envelope.getPartnerId())
                .setOrgUnitId(envelope.getOrgUnitId()).setCohortId(view.cohortId())
                .setSex(sex).setAgeBand(ageBand)
                .setSessionsPlanned(view.plannedSessions()).setSessionsHeld(view.sessions.size())
                .setEnrolled(enrolled).setActive(active).setCompleted(completed).setDroppedOut(droppedOut)
                .setTransferred(transferred).setPresentTotal(present).setExpectedTotal(expected)
                .setRetentionRate(ratio(active + completed, enrolled)).setDropoutRate(ratio(droppedOut, enrolled))
                .setCompletionRate(ratio(completed, enrolled)).setAttendanceRate(ratio(present, expected))
                .setAsOf(instant(asOf)).setUpdatedAt(Instant.EPOCH).setVersion(0L).setDeleted(false)
                .build();
    }

    private static ParticipantProgress progress(CohortView view, FieldEvent envelope, Person p) {
        return ParticipantProgress.newBuilder()
                .setProgramId(envelope.getProgramId()).setPartnerId(envelope.getPartnerId())
                .setOrgUnitId(envelope.getOrgUnitId()).setCohortId(view.cohortId()).setPersonId(p.personId())
                .setSex(p.sex()).setAgeBand(p.ageBand()).setEnrolledOn(p.enrolledOn()).setStatus(p.status())
                .setSessionsExpected(p.expected()).setSessionsAttended(p.attended())
                .setAttendanceRate(ratio(p.attended(), p.expected())).setLastSessionPresent(p.lastPresent())
                .setAsOf(instant(p.asOf())).setUpdatedAt(Instant.EPOCH).setVersion(0L).setDeleted(false)
                .build();
    }

    /**
     * Survival at held session k of one grain (all x all, or one sex x age band with its members):
     * its enrolled persons (transfers excluded) present at k or any later expected session.
     */
    private static List<RetentionCurvePoint> curve(CohortView view, FieldEvent envelope, String sex, String ageBand,
                                                   List<Person> persons, Instant asOf) {
        List<Person> counted = persons.stream().filter(p -> !StatusRule.TRANSFERRED.equals(p.status())).toList();
        List<RetentionCurvePoint> points = new ArrayList<>();
        for (Map.Entry<Integer, LocalDate> session : view.sessions.entrySet()) {
            int k = session.getKey();
            int surviving = (int) counted.stream().filter(p -> p.lastPresent() != null && p.lastPresent() >= k).count();
            points.add(RetentionCurvePoint.newBuilder()
                    .setProgramId(envelope.getProgramId()).setPartnerId(envelope.getPartnerId())
                    .setCohortId(view.cohortId()).setSex(sex).setAgeBand(ageBand)
                    .setSessionNumber(k).setHeldOn(session.getValue())
                    .setEnrolled(counted.size()).setSurviving(surviving).setSurvivalRate(ratio(surviving, counted.size()))
                    .setAsOf(asOf).setUpdatedAt(Instant.EPOCH).setVersion(0L).setDeleted(false)
                    .build());
        }
        return points;
    }

    static double ratio(int numerator, int denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }
}
