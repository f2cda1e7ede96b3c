package org.fieldstream.streams;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecordBase;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Topics;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.OutreachCount;
import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.Program;

/**
 * Test oracle: every live metric row recomputed from scratch from a set of events, the way the
 * streams application computed them before it kept incremental state: the current record of every
 * root id, each aggregate rebuilt whole ({@link CohortView}, {@link CohortCalculator},
 * {@link ReachCalculator}), and the outreach cells counted directly from every person's reaches
 * (a partner's cells from that partner's records only).
 * Rows are rendered as {@link TopologyHarness#render} does, keyed {@code <topic>/<key>}.
 */
final class Recompute {

    private Recompute() {
    }

    static Map<String, String> rows(List<FieldEvent> events, Map<String, Program> programs, Map<String, OrgUnit> units, Topics topics) {
        CurrentRecords records = new CurrentRecords();
        events.forEach(records::apply);
        Map<String, String> out = new TreeMap<>();
        Map<String, List<Reach>> reaches = new TreeMap<>();
        records.liveByAggregate().forEach((aggregate, live) -> {
            ReachCalculator.Result reach;
            if (ReachCalculator.isDialogue(live)) {
                reach = ReachCalculator.dialogue(aggregate, live);
                reach.summaries().forEach(r -> put(out, topics.dialogues.name(), aggregate, r));
                for (DialogueAttendance r : reach.attendance()) {
                    put(out, topics.dialogueAttendance.name(), Keys.join(aggregate, r.getRole(), r.getSex()), r);
                }
            } else {
                CohortView view = CohortView.of(aggregate, live);
                String program = view.envelope() == null ? null : view.envelope().getProgramId();
                CohortCalculator.Result r = CohortCalculator.compute(view,
                        program == null ? ProgramParams.DEFAULTS : ProgramParams.of(programs.get(program)));
                for (CohortRetention t : r.totals()) {
                    put(out, topics.cohortRetention.name(), Keys.join(aggregate, t.getSex(), t.getAgeBand()), t);
                }
                for (CohortRetention g : r.groups()) {
                    put(out, topics.cohortRetentionByGroup.name(), Keys.join(aggregate, g.getSex(), g.getAgeBand()), g);
                }
                r.participants().forEach(p -> put(out, topics.participantProgress.name(), Keys.join(aggregate, p.getPersonId()), p));
                r.curve().forEach(c -> put(out, topics.retentionCurve.name(),
                        Keys.join(aggregate, Integer.toString(c.getSessionNumber()), c.getSex(), c.getAgeBand()), c));
                reach = ReachCalculator.cohort(view);
            }
            reach.reachByPerson().forEach((person, r) ->
                    reaches.computeIfAbsent(Keys.join(r.program(), person), k -> new ArrayList<>()).add(r));
        });
        outreach(reaches, programs, units).forEach((key, row) -> put(out, topics.outreach.name(), key, row));
        return out;
    }

    private static void put(Map<String, String> out, String topic, String key, SpecificRecordBase row) {
        out.put(topic + "/" + key, TopologyHarness.render(row));
    }

    /** A person's place in one cell while counting: newly reached there or not, first day there. */
    private record InCell(boolean isNew, int day) {
    }

    /**
     * Distinct persons per cell, counted straight from the reaches: every place of every reach puts
     * the person in the month, quarter, year, fiscal-year (starting April, July, October) and to-date cells of the program, the partner and the district
     * and upazila the org unit rolls up to, by sex x age band and for all; the cell's as_of the latest
     * of its persons' first days in it. Partner cells see only that partner's records: the person's
     * most recent attributes among those the partner recorded (unknown when none), newly reached
     * where the period holds the first month that partner reached them. Program, district and upazila
     * cells see every partner's records: the most recent attributes of any partner, newly reached
     * where the period holds the first month ever reached in the program.
     */
    static Map<String, OutreachCount> outreach(Map<String, List<Reach>> reaches, Map<String, Program> programs,
                                                Map<String, OrgUnit> units) {
        Map<String, Map<String, InCell>> cells = new TreeMap<>();
        reaches.forEach((programPerson, list) -> {
            String program = programPerson.substring(0, programPerson.indexOf('|'));
            Map<String, InCell> mine = new HashMap<>();
            for (Reach r : list) {
                for (Reach.Place p : r.places()) {
                    OrgUnit unit = p.orgUnit() == null ? null : units.get(p.orgUnit());
                    List<String[]> dimensions = new ArrayList<>();
                    dimensions.add(new String[] {"program", program});
                    dimensions.add(new String[] {"partner", p.partner()});
                    String district = ReferenceData.ancestor(unit, "district");
                    String upazila = ReferenceData.ancestor(unit, "upazila");
                    if (district != null) {
                        dimensions.add(new String[] {"district", district});
                    }
                    if (upazila != null) {
                        dimensions.add(new String[] {"upazila", upazila});
                    }
                    for (String[] dim : dimensions) {
                        String onlyPartner = dim[0].equals("partner") ? p.partner() : null; // null: every partner's records
                        String[] attributes = latestAttributes(list, onlyPartner);
                        String firstMonth = firstMonth(list, onlyPartner);
                        String quarter = Periods.quarterOfMonth(p.month());
                        List<String[]> periods = new ArrayList<>(List.of(
                            new String[] {"month", p.month(), Boolean.toString(p.month().equals(firstMonth))},
                            new String[] {"quarter", quarter, Boolean.toString(quarter.equals(Periods.quarterOfMonth(firstMonth)))},
                            new String[] {"to_date", "all", "true"}));
                        // years counted from the month's own fields, every start month of a fiscal year but January
                        int year = Integer.parseInt(p.month().substring(0, 4));
                        int firstYear = Integer.parseInt(firstMonth.substring(0, 4));
                        periods.add(new String[] {"year", Integer.toString(year), Boolean.toString(year == firstYear)});
                        for (int start = 4; start <= 10; start += 3) {
                            int fiscal = fiscalYear(p.month(), start);
                            periods.add(new String[] {"fiscal_year", String.format("FY%d-%02d", fiscal, start),
                                Boolean.toString(fiscal == fiscalYear(firstMonth, start))});
                        }
                        for (String[] period : periods) {
                            for (String group : new String[] {attributes[0] + "|" + attributes[1], "all|all"}) {
                                String cell = String.join("|", program, period[0], period[1], dim[0], dim[1], group);
                                InCell before = mine.get(cell);
                                if (before == null || p.firstDay() < before.day()) {
                                    mine.put(cell, new InCell(Boolean.parseBoolean(period[2]), p.firstDay()));
                                }
                            }
                        }
                    }
                }
            }
            mine.forEach((cell, in) -> cells.computeIfAbsent(cell, c -> new HashMap<>()).put(programPerson, in));
        });
        Map<String, OutreachCount> rows = new TreeMap<>();
        cells.forEach((cell, persons) -> {
            String[] f = cell.split("\\|", -1);
            long newly = persons.values().stream().filter(InCell::isNew).count();
            int day = persons.values().stream().mapToInt(InCell::day).max().orElseThrow();
            LocalDate start = ProgramParams.of(programs.get(f[0])).startDate();
            rows.put(cell, OutreachCount.newBuilder().setProgramId(f[0]).setPeriodKind(f[1]).setPeriod(f[2])
                    .setPeriodStart(Periods.start(f[1], f[2], start)).setDimension(f[3]).setDimensionId(f[4])
                    .setSex(f[5]).setAgeBand(f[6]).setPeopleReached(persons.size()).setNewPeopleReached(newly)
                    .setAsOf(CohortCalculator.instant(LocalDate.ofEpochDay(day))).setUpdatedAt(java.time.Instant.EPOCH)
                    .setVersion(0L).setDeleted(false).build());
        });
        return rows;
    }

    /** The fiscal year (the calendar year it ends in) of a month, for fiscal years starting in {@code start}. */
    private static int fiscalYear(String month, int start) {
        java.time.YearMonth m = java.time.YearMonth.parse(month);
        return m.getMonthValue() >= start ? m.getYear() + 1 : m.getYear();
    }

    /**
     * {sex, age band} of the most recent of the reaches' attributes, among those recorded by
     * {@code partner} (every partner's when null): the latest date; on one date an enrolment before
     * a dialogue attendance, then the greater aggregate id. {unknown, unknown} when there are none.
     */
    private static String[] latestAttributes(List<Reach> reaches, String partner) {
        Reach.Attributes best = null;
        for (Reach r : reaches) {
            Reach.Attributes a = r.attributes();
            if (a == null || (partner != null && !partner.equals(a.partner()))) {
                continue;
            }
            boolean later = best == null || a.epochDay() > best.epochDay()
                    || (a.epochDay() == best.epochDay() && (a.rank() > best.rank()
                        || (a.rank() == best.rank() && a.source().compareTo(best.source()) > 0)));
            if (later) {
                best = a;
            }
        }
        return best == null ? new String[] {"unknown", "unknown"} : new String[] {best.sex(), best.ageBand()};
    }

    /** The earliest month of the reaches' places, of those placed at {@code partner} (every partner's when null). */
    private static String firstMonth(List<Reach> reaches, String partner) {
        String first = null;
        for (Reach r : reaches) {
            for (Reach.Place p : r.places()) {
                if ((partner == null || partner.equals(p.partner())) && (first == null || p.month().compareTo(first) < 0)) {
                    first = p.month();
                }
            }
        }
        return first;
    }
}
