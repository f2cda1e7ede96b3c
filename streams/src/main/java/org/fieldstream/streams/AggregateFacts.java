package org.fieldstream.streams;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.fieldstream.events.ExitReason;

/**
 * What a punctuation needs to know about one aggregate, read once from its header: the cohort's
 * registration, its held sessions in number order with their dates, whether all planned sessions are
 * held, the program's parameters and the header's own as_of day; the dialogue's DialogueHeld. Derives
 * a participant's figures and the figures of the cohort's and dialogue's rows.
 *
 * <p>Row figures, as {@code long[]} so that "changed" is an array comparison:
 * retention {@code [planned, held, enrolled, active, completed, dropped_out, transferred, present, expected, as_of day]},
 * survival point {@code [held_on day, enrolled, surviving, as_of day]} (enrolled and as_of those of its
 * grain's retention row),
 * dialogue {@code [held_on day, attendees, female, male, other, unknown, identified, as_of day]},
 * dialogue attendance {@code [attendees, held_on day, as_of day]}.
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

    long[] totals() {
        int[] sum = new int[AggregateHeader.COUNTERS];
        int asOf = headerDay;
        for (int g = 0; g < Groups.COUNT; g++) {
            int[] c = header.groups[g];
            if (c != null) {
                for (int k = 0; k < sum.length; k++) {
                    sum[k] += c[k];
                }
                asOf = Math.max(asOf, header.groupDays[g].max());
            }
        }
        return retention(sum, asOf);
    }

    long[] group(int g) {
        return retention(header.groups[g], Math.max(headerDay, header.groupDays[g].max()));
    }

    private long[] retention(int[] c, int asOf) {
        return new long[] {registration.planned(), sessionNumbers.length, c[AggregateHeader.ENROLLED], c[AggregateHeader.ACTIVE],
            c[AggregateHeader.COMPLETED], c[AggregateHeader.DROPPED_OUT], c[AggregateHeader.TRANSFERRED],
            c[AggregateHeader.PRESENT], c[AggregateHeader.EXPECTED], asOf};
    }

    /**
     * Survival at each held session k of one grain (the cohort's total or a group): of the persons its
     * retention row counts as enrolled, those whose last presence is at k or later (suffix sums of
     * their last sessions present).
     */
    Map<Integer, long[]> curve(long[] retention, Counts lastPresent) {
        Map<Integer, long[]> points = new LinkedHashMap<>();
        long enrolled = retention[2];
        long asOf = retention[9];
        for (int i = 0; i < sessionNumbers.length; i++) {
            points.put(sessionNumbers[i], new long[] {sessionDays[i], enrolled, lastPresent.sumFrom(sessionNumbers[i]), asOf});
        }
        return points;
    }

    long[] summary() {
        int[] s = header.attendeesBySex;
        return new long[] {held.day(), header.attendees, s[0], s[1], s[2], s[3], header.identified, held.day()};
    }

    Map<String, long[]> attendance() {
        Map<String, long[]> rows = new LinkedHashMap<>();
        header.attendeesByRoleSex.forEach((roleSex, count) -> rows.put(roleSex, new long[] {count, held.day(), held.day()}));
        return rows;
    }
}
