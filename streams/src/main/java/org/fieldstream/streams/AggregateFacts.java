package org.fieldstream.streams;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.fieldstream.events.ExitReason;
import org.fieldstream.events.Sex;

/**
 * What a punctuation needs to know about one aggregate, read once from its header: the cohort's
 * registration, its held sessions in number order with their dates, whether all planned sessions are
 * held, the program's parameters and the header's own as_of day; the dialogue's DialogueHeld. Derives
 * a participant's figures and the figures of the cohort's and dialogue's rows.
 *
 * <p>Row figures are records ({@link RetentionFigures}, {@link CurveFigures}, {@link DialogueFigures},
 * {@link AttendanceFigures}), so that "changed" is a record comparison; a survival point carries the
 * enrolled and as_of of its grain's retention row.
 */
record AggregateFacts(AggregateHeader header, AggregateHeader.Registration registration, AggregateHeader.Envelope cohortEnvelope,
                      int[] sessionNumbers, int[] sessionDays, boolean allHeld, int headerDay, ProgramParams params,
                      String reachProgram, String reachPartner, String reachOrgUnit,
                      AggregateHeader.Held held, AggregateHeader.Envelope dialogueEnvelope, boolean dialogue) {

    static AggregateFacts of(String aggregate, AggregateHeader h, Function<String, ProgramParams> params) {
        AggregateHeader.Registration reg = h.registration();
        int n = h.sessions.size();
        int[] numbers = new int[n];
        int[] days = new int[n];
        int headerDay = reg == null ? EventDays.NONE : reg.startDay();
        int i = 0;
        for (int session : h.sessions.keySet()) {
            numbers[i] = session;
            days[i] = h.sessionDay(session);
            headerDay = Math.max(headerDay, days[i]);
            i++;
        }
        boolean allHeld = reg != null && reg.planned() > 0 && n >= reg.planned();
        AggregateHeader.Envelope cohort = reg == null ? null
                : new AggregateHeader.Envelope(reg.program(), reg.partner(), reg.orgUnit(), reg.cohortId(), null, null);
        String[] owner = owner(aggregate);
        String reachProgram = reg != null ? reg.program() : owner == null ? null : owner[0];
        String reachPartner = reg != null ? reg.partner() : owner == null ? null : owner[1];
        AggregateHeader.Held held = h.held();
        AggregateHeader.Envelope dialogue = held == null ? null : new AggregateHeader.Envelope(held.program(), held.partner(),
                held.orgUnit(), held.dialogueId(), held.kind(), held.topic());
        return new AggregateFacts(h, reg, cohort, numbers, days, allHeld, headerDay,
                reg == null ? ProgramParams.DEFAULTS : params.apply(reg.program()),
                reachProgram, reachPartner, reg == null ? null : reg.orgUnit(), held, dialogue,
                !h.helds.isEmpty() || h.attendees > 0);
    }

    /** Program and partner named by an aggregate id {@code <program>/<partner>/<id>}; null for any other form. */
    static String[] owner(String aggregateId) {
        int a = aggregateId.indexOf('/');
        int b = a < 0 ? -1 : aggregateId.indexOf('/', a + 1);
        return b < 0 ? null : new String[] {aggregateId.substring(0, a), aggregateId.substring(a + 1, b)};
    }

    /**
     * A participant's figures (null without a live enrolment): presence at each held session dated
     * on or after the enrolment, the status rule over them, the person's own latest day (enrolment,
     * dated exits) and the row's as_of day (that, the registration's start and the held sessions' dates).
     */
    Derived derive(PersonState state) {
        PersonState.Enrolment e = state.enrolment();
        if (e == null) {
            return null;
        }
        int expected = 0;
        int attended = 0;
        int lastPresent = Derived.NO_SESSION;
        int missedRun = 0;
        for (int i = 0; i < sessionNumbers.length; i++) {
            if (sessionDays[i] < e.day()) {
                continue;
            }
            expected++;
            if (state.present.get(sessionNumbers[i]) > 0) {
                attended++;
                lastPresent = sessionNumbers[i];
                missedRun = 0;
            } else {
                missedRun++;
            }
        }
        boolean transferred = false;
        boolean completed = false;
        boolean droppedOut = false;
        int own = e.day();
        for (PersonState.Exit x : state.exits) {
            transferred |= x.reason() == ExitReason.TRANSFERRED.ordinal();
            completed |= x.reason() == ExitReason.COMPLETED.ordinal();
            droppedOut |= x.reason() == ExitReason.DROPPED_OUT.ordinal();
            if (x.day() != EventDays.NONE) {
                own = Math.max(own, x.day());
            }
        }
        int status = StatusRule.status(transferred, completed, droppedOut, allHeld, expected, attended, missedRun, params);
        return new Derived(status, e.sex(), e.band(), e.day(), expected, attended, lastPresent, own, Math.max(headerDay, own));
    }

    RetentionFigures totals() {
        AggregateHeader.GroupCounts sum = new AggregateHeader.GroupCounts();
        int asOf = headerDay;
        for (int g = 0; g < Groups.COUNT; g++) {
            AggregateHeader.GroupCounts c = header.groups[g];
            if (c != null) {
                sum.add(c);
                asOf = Math.max(asOf, header.groupDays[g].max());
            }
        }
        return RetentionFigures.of(registration.planned(), sessionNumbers.length, sum, asOf);
    }

    RetentionFigures group(int g) {
        return RetentionFigures.of(registration.planned(), sessionNumbers.length, header.groups[g],
                Math.max(headerDay, header.groupDays[g].max()));
    }

    /**
     * Survival at each held session k of one grain (the cohort's total or a group): of the persons its
     * retention row counts as enrolled, those whose last presence is at k or later (suffix sums of
     * their last sessions present).
     */
    Map<Integer, CurveFigures> curve(RetentionFigures retention, Counts lastPresent) {
        Map<Integer, CurveFigures> points = new LinkedHashMap<>();
        for (int i = 0; i < sessionNumbers.length; i++) {
            points.put(sessionNumbers[i], new CurveFigures(sessionDays[i], retention.enrolled(), lastPresent.sumFrom(sessionNumbers[i]),
                    retention.asOfDay()));
        }
        return points;
    }

    DialogueFigures summary() {
        int[] bySex = header.attendeesBySex;
        return new DialogueFigures(held.day(), header.attendees, bySex[Sex.FEMALE.ordinal()], bySex[Sex.MALE.ordinal()],
                bySex[Sex.OTHER.ordinal()], bySex[Sex.UNKNOWN.ordinal()], header.identified, held.day());
    }

    Map<String, AttendanceFigures> attendance() {
        Map<String, AttendanceFigures> rows = new LinkedHashMap<>();
        header.attendeesByRoleSex.forEach((roleSex, count) -> rows.put(roleSex, new AttendanceFigures(count, held.day(), held.day())));
        return rows;
    }
}
