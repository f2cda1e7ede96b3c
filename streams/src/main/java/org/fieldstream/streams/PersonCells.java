package org.fieldstream.streams;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The outreach cells one person is counted in, from everything the person's aggregates contribute.
 *
 * <p>Cell key: {@code program|period_kind|period|dimension|dimension_id|sex|age_band} — the grain of
 * {@code OutreachCount}. A person is in a cell once however many activities put them there (so the
 * counts are distinct persons), in the months, quarters and program-to-date of every place reached,
 * for the program, the partner, and the district and upazila the activity's org unit rolls up to
 * (skipped when the org unit is not in the reference data), each for the person's sex x age band and
 * for all. The person's sex and age band come from their most recent record by date (a later
 * enrolment or dialogue wins; tie: the aggregate id). The value says whether the person is newly
 * reached in the cell: their first month ever reached in the program falls in the cell's period.
 */
final class PersonCells {

    static final String ALL = "all";

    private PersonCells() {
    }

    static Map<String, Boolean> compute(String program, Collection<Reach> reaches,
                                        UnaryOperator<String> districtOf, UnaryOperator<String> upazilaOf) {
        Reach.Attributes latest = null;
        String firstMonth = null;
        for (Reach r : reaches) {
            if (r.attributes() != null && (latest == null || Reach.Attributes.RECENCY.compare(r.attributes(), latest) > 0)) {
                latest = r.attributes();
            }
            for (Reach.Place p : r.places()) {
                if (firstMonth == null || p.month().compareTo(firstMonth) < 0) {
                    firstMonth = p.month();
                }
            }
        }
        Map<String, Boolean> cells = new TreeMap<>();
        if (firstMonth == null) {
            return cells;
        }
        String sex = latest == null ? "unknown" : latest.sex();
        String band = latest == null ? AgeBand.UNKNOWN : latest.ageBand();
        String firstQuarter = Periods.quarterOfMonth(firstMonth);
        for (Reach r : reaches) {
            for (Reach.Place p : r.places()) {
                String quarter = Periods.quarterOfMonth(p.month());
                String[][] periods = {
                    {Periods.MONTH, p.month(), Boolean.toString(p.month().equals(firstMonth))},
                    {Periods.QUARTER, quarter, Boolean.toString(quarter.equals(firstQuarter))},
                    {Periods.TO_DATE, Periods.ALL, "true"},
                };
                String[][] dimensions = {
                    {"program", program},
                    {"partner", p.partner()},
                    {"district", districtOf.apply(p.orgUnit())},
                    {"upazila", upazilaOf.apply(p.orgUnit())},
                };
                for (String[] period : periods) {
                    for (String[] dimension : dimensions) {
                        if (dimension[1] == null) {
                            continue;
                        }
                        boolean isNew = Boolean.parseBoolean(period[2]);
                        cells.put(Keys.join(program, period[0], period[1], dimension[0], dimension[1], sex, band), isNew);
                        cells.put(Keys.join(program, period[0], period[1], dimension[0], dimension[1], ALL, ALL), isNew);
                    }
                }
            }
        }
        return cells;
    }
}
