package org.fieldstream.seeds;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import org.fieldstream.events.AggregateIds;
import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.ReferenceData;

/**
 * Outreach family of the expected metrics (see {@link ExpectedMetrics} for the rules). A reach is
 * a present attendance at a held session (of any cohort, enrolled or not) or an identified
 * attendance at a held dialogue; its month is the session's or dialogue's date month; its org unit
 * is the cohort's or dialogue's org_unit_id, rolled up to district and upazila via the reference
 * ancestry. A partner's grains see only that partner's records of a person (attributes, first month
 * reached); program, district and upazila grains see every partner's.
 */
final class OutreachExpectation {

    private record Reach(String programId, String personId, String partnerId, YearMonth month, String orgUnitId) {
    }

    /** A candidate for a person's outreach attributes, ordered by the rule of ExpectedMetrics. */
    private record Attr(LocalDate date, int rank, String id, int no, String sex, String ageBand) {
        static final Comparator<Attr> ORDER = Comparator.comparing(Attr::date).thenComparingInt(Attr::rank)
                .thenComparing(Attr::id).thenComparingInt(Attr::no);
    }

    private static final Attr UNKNOWN = new Attr(LocalDate.MIN, -1, "", 0, "unknown", "unknown");

    private final ReferenceData reference;
    private final Function<String, String> pseudonym;
    private final Map<MetricFamily, Map<String, Map<String, Object>>> out;

    OutreachExpectation(ReferenceData reference, Function<String, String> pseudonym,
                        Map<MetricFamily, Map<String, Map<String, Object>>> out) {
        this.reference = reference;
        this.pseudonym = pseudonym;
        this.out = out;
    }

    void compute(Ledger ledger) {
        List<Reach> reaches = new ArrayList<>();
        Map<String, Attr> attrs = new HashMap<>();
        collectTrainings(ledger, reaches, attrs);
        collectDialogues(ledger, reaches, attrs);
        Map<String, YearMonth> firstMonth = new HashMap<>();
        for (Reach r : reaches) {
            firstMonth.merge(r.programId() + '|' + r.personId(), r.month(), (a, b) -> a.isBefore(b) ? a : b);
            firstMonth.merge(ofPartner(r.programId(), r.personId(), r.partnerId()), r.month(), (a, b) -> a.isBefore(b) ? a : b);
        }
        Map<String, Grain> grains = new TreeMap<>();
        for (Reach r : reaches) {
            for (String[] period : periods(r.month())) {
                for (String[] dim : dimensions(r)) {
                    Attr attr = attrs.getOrDefault(dim[0].equals("partner") ? ofPartner(r.programId(), r.personId(), r.partnerId())
                            : r.programId() + '|' + r.personId(), UNKNOWN);
                    for (String[] cell : List.of(new String[] {attr.sex(), attr.ageBand()}, new String[] {AgeBand.ALL, AgeBand.ALL})) {
                        Grain g = grains.computeIfAbsent(String.join("|", r.programId(), period[0], period[1], dim[0], dim[1], cell[0], cell[1]),
                                k -> new Grain(r.programId(), period[0], period[1], dim[0], dim[1], cell[0], cell[1]));
                        g.persons.add(r.personId());
                    }
                }
            }
        }
        for (Grain g : grains.values()) {
            emit(g, firstMonth);
        }
    }

    /** Key of what one partner's own records say of a person (its attributes, its first month reaching them). */
    private static String ofPartner(String programId, String personId, String partnerId) {
        return programId + '|' + personId + '|' + partnerId;
    }

    private void collectTrainings(Ledger ledger, List<Reach> reaches, Map<String, Attr> attrs) {
        Map<String, LocalDate> heldOn = new HashMap<>();
        for (FieldRecord.Session s : ledger.current(FieldRecord.Session.class)) {
            heldOn.put(s.cohortId() + '|' + s.sessionNumber(), s.heldOn());
        }
        Map<String, String> cohortOrgUnit = new HashMap<>();
        for (FieldRecord.Cohort c : ledger.current(FieldRecord.Cohort.class)) {
            cohortOrgUnit.put(c.cohortId(), c.orgUnitId());
        }
        for (FieldRecord.Attendance a : ledger.current(FieldRecord.Attendance.class)) {
            LocalDate date = heldOn.get(a.cohortId() + '|' + a.sessionNumber());
            if (a.status() == AttendanceStatus.PRESENT && date != null) {
                reaches.add(new Reach(a.programId(), pseudonym.apply(a.personKey()), a.partnerId(),
                        YearMonth.from(date), cohortOrgUnit.get(a.cohortId())));
            }
        }
        for (FieldRecord.Enrolment e : ledger.current(FieldRecord.Enrolment.class)) {
            Attr attr = new Attr(e.enrolledOn(), 1, AggregateIds.of(e.programId(), e.partnerId(), e.cohortId()), 0,
                    AgeBand.sex(e.sex()), AgeBand.of(e.ageAtEnrolment()));
            String personId = pseudonym.apply(e.personKey());
            offer(attrs, e.programId() + '|' + personId, attr);
            offer(attrs, ofPartner(e.programId(), personId, e.partnerId()), attr);
        }
    }

    private void collectDialogues(Ledger ledger, List<Reach> reaches, Map<String, Attr> attrs) {
        Map<String, FieldRecord.Dialogue> dialogues = new HashMap<>();
        for (FieldRecord.Dialogue d : ledger.current(FieldRecord.Dialogue.class)) {
            dialogues.put(d.dialogueId(), d);
        }
        for (FieldRecord.DialogueAttendee a : ledger.current(FieldRecord.DialogueAttendee.class)) {
            FieldRecord.Dialogue d = dialogues.get(a.dialogueId());
            if (a.personKey() == null || d == null) {
                continue;
            }
            String personId = pseudonym.apply(a.personKey());
            reaches.add(new Reach(a.programId(), personId, a.partnerId(), YearMonth.from(d.heldOn()), d.orgUnitId()));
            Attr attr = new Attr(d.heldOn(), 0, AggregateIds.of(d.programId(), d.partnerId(), d.dialogueId()), a.attendeeNo(),
                    AgeBand.sex(a.sex()), AgeBand.of(a.age()));
            offer(attrs, a.programId() + '|' + personId, attr);
            offer(attrs, ofPartner(a.programId(), personId, a.partnerId()), attr);
        }
    }

    private static void offer(Map<String, Attr> attrs, String person, Attr candidate) {
        attrs.merge(person, candidate, (a, b) -> Attr.ORDER.compare(a, b) >= 0 ? a : b);
    }

    private static List<String[]> periods(YearMonth m) {
        String quarter = m.getYear() + "-Q" + ((m.getMonthValue() - 1) / 3 + 1);
        List<String[]> periods = new ArrayList<>(List.of(new String[] {"month", m.toString()}, new String[] {"quarter", quarter},
                new String[] {"year", Integer.toString(m.getYear())}, new String[] {"to_date", "all"}));
        for (int start : new int[] {4, 7, 10}) {
            // a fiscal year is named by the year its twelfth month falls in
            periods.add(new String[] {"fiscal_year", String.format("FY%d-%02d", m.plusMonths(13 - start).getYear(), start)});
        }
        return periods;
    }

    private List<String[]> dimensions(Reach r) {
        List<String[]> dims = new ArrayList<>();
        dims.add(new String[] {"program", r.programId()});
        dims.add(new String[] {"partner", r.partnerId()});
        OrgUnit unit = reference.orgUnit(r.orgUnitId()).orElse(null);
        if (unit != null && unit.getDistrictId() != null) {
            dims.add(new String[] {"district", unit.getDistrictId()});
        }
        if (unit != null && unit.getUpazilaId() != null) {
            dims.add(new String[] {"upazila", unit.getUpazilaId()});
        }
        return dims;
    }

    private void emit(Grain g, Map<String, YearMonth> firstMonth) {
        boolean partner = g.dimension.equals("partner");
        long fresh = g.persons.stream()
                .filter(p -> inPeriod(firstMonth.get(partner ? ofPartner(g.programId, p, g.dimensionId) : g.programId + '|' + p),
                        g.periodKind, g.period))
                .count();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("program_id", g.programId);
        row.put("period_kind", g.periodKind);
        row.put("period", g.period);
        row.put("period_start", periodStart(g));
        row.put("dimension", g.dimension);
        row.put("dimension_id", g.dimensionId);
        row.put("sex", g.sex);
        row.put("age_band", g.ageBand);
        row.put("people_reached", (long) g.persons.size());
        row.put("new_people_reached", fresh);
        MetricFamily.OUTREACH.check(row);
        out.computeIfAbsent(MetricFamily.OUTREACH, f -> new TreeMap<>()).put(MetricFamily.OUTREACH.key(row), row);
    }

    private static boolean inPeriod(YearMonth first, String kind, String period) {
        return periods(first).stream().anyMatch(p -> p[0].equals(kind) && p[1].equals(period));
    }

    private LocalDate periodStart(Grain g) {
        return switch (g.periodKind) {
            case "month" -> YearMonth.parse(g.period).atDay(1);
            case "quarter" -> LocalDate.of(Integer.parseInt(g.period.substring(0, 4)),
                    (Integer.parseInt(g.period.substring(6)) - 1) * 3 + 1, 1);
            case "year" -> LocalDate.of(Integer.parseInt(g.period), 1, 1);
            case "fiscal_year" -> YearMonth.of(Integer.parseInt(g.period.substring(2, 6)), Integer.parseInt(g.period.substring(7)))
                    .minusMonths(12).atDay(1);
            default -> reference.program(g.programId).map(p -> p.getStartDate()).orElse(LocalDate.of(1970, 1, 1));
        };
    }

    private static final class Grain {
        final String programId;
        final String periodKind;
        final String period;
        final String dimension;
        final String dimensionId;
        final String sex;
        final String ageBand;
        final Set<String> persons = new HashSet<>();

        Grain(String programId, String periodKind, String period, String dimension, String dimensionId, String sex, String ageBand) {
            this.programId = programId;
            this.periodKind = periodKind;
            this.period = period;
            this.dimension = dimension;
            this.dimensionId = dimensionId;
            this.sex = sex;
            this.ageBand = ageBand;
        }
    }
}
