package org.fieldstream.streams;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Where one person counts in outreach, in compact form: the sex and age band the person is counted
 * under, the first month they were ever reached in the program, and every distinct (month, partner,
 * district, upazila) they were reached in, with the org units already rolled up. {@link #cells()}
 * expands it into the outreach cells; comparing placements tells whether any cell changed without
 * expanding them.
 *
 * <p>Cell key: {@code program|period_kind|period|dimension|dimension_id|sex|age_band} — the grain of
 * {@code OutreachCount}. A person is in a cell once however many activities put them there (so the
 * counts are distinct persons), in the months, quarters and program-to-date of every place reached,
 * for the program, the partner, and the district and upazila the activity's org unit rolls up to
 * (skipped when the org unit is not in the reference data), each for the person's sex x age band and
 * for all. The person's sex and age band come from their most recent record by date (a later
 * enrolment or dialogue wins; tie: the aggregate id). The cell's value says whether the person is
 * newly reached in it: their first month ever reached in the program falls in the cell's period.
 */
record Placement(String program, String sex, String ageBand, String firstMonth, List<Spot> spots) {

    static final String ALL = "all";

    /** A month in which the person was reached, by which partner, in which district and upazila (either may be null). */
    record Spot(String month, String partner, String district, String upazila) {
        static final Comparator<Spot> ORDER = Comparator.comparing(Spot::month).thenComparing(Spot::partner)
                .thenComparing(Spot::district, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Spot::upazila, Comparator.nullsFirst(Comparator.naturalOrder()));
    }

    /** The person's placement from everything their aggregates contribute; null when they were reached nowhere. */
    static Placement of(String program, Collection<Reach> reaches, UnaryOperator<String> districtOf, UnaryOperator<String> upazilaOf) {
        Reach.Attributes latest = null;
        String firstMonth = null;
        TreeSet<Spot> spots = new TreeSet<>(Spot.ORDER);
        for (Reach r : reaches) {
            if (r.attributes() != null && (latest == null || Reach.Attributes.RECENCY.compare(r.attributes(), latest) > 0)) {
                latest = r.attributes();
            }
            for (Reach.Place p : r.places()) {
                if (firstMonth == null || p.month().compareTo(firstMonth) < 0) {
                    firstMonth = p.month();
                }
                spots.add(new Spot(p.month(), p.partner(), districtOf.apply(p.orgUnit()), upazilaOf.apply(p.orgUnit())));
            }
        }
        if (firstMonth == null) {
            return null;
        }
        return new Placement(program, latest == null ? "unknown" : latest.sex(), latest == null ? AgeBand.UNKNOWN : latest.ageBand(),
                firstMonth, List.copyOf(spots));
    }

    /** The cells of a placement (none for null): cell key -> newly reached in the cell's period. */
    static Map<String, Boolean> cells(Placement placement) {
        return placement == null ? Map.of() : placement.cells();
    }

    Map<String, Boolean> cells() {
        Map<String, Boolean> cells = new HashMap<>();
        String firstQuarter = Periods.quarterOfMonth(firstMonth);
        String group = Keys.SEP + sex + Keys.SEP + ageBand;
        String all = Keys.SEP + ALL + Keys.SEP + ALL;
        for (Spot spot : spots) {
            String quarter = Periods.quarterOfMonth(spot.month());
            addPeriod(cells, Periods.MONTH, spot.month(), spot.month().equals(firstMonth), spot, group, all);
            addPeriod(cells, Periods.QUARTER, quarter, quarter.equals(firstQuarter), spot, group, all);
            addPeriod(cells, Periods.TO_DATE, Periods.ALL, true, spot, group, all);
        }
        return cells;
    }

    /** The cells of one period of a spot: each dimension (skipped when unknown), by sex x age band and for all. */
    private void addPeriod(Map<String, Boolean> cells, String kind, String period, boolean isNew, Spot spot, String group, String all) {
        String prefix = program + Keys.SEP + kind + Keys.SEP + period + Keys.SEP;
        addDimension(cells, prefix + "program" + Keys.SEP + program, isNew, group, all);
        addDimension(cells, prefix + "partner" + Keys.SEP + spot.partner(), isNew, group, all);
        if (spot.district() != null) {
            addDimension(cells, prefix + "district" + Keys.SEP + spot.district(), isNew, group, all);
        }
        if (spot.upazila() != null) {
            addDimension(cells, prefix + "upazila" + Keys.SEP + spot.upazila(), isNew, group, all);
        }
    }

    private static void addDimension(Map<String, Boolean> cells, String cell, boolean isNew, String group, String all) {
        cells.put(cell + group, isNew);
        cells.put(cell + all, isNew);
    }

    static void write(DataOutputStream out, Placement placement) throws IOException {
        out.writeBoolean(placement != null);
        if (placement == null) {
            return;
        }
        out.writeUTF(placement.program);
        out.writeUTF(placement.sex);
        out.writeUTF(placement.ageBand);
        out.writeUTF(placement.firstMonth);
        out.writeInt(placement.spots.size());
        for (Spot s : placement.spots) {
            out.writeUTF(s.month());
            out.writeUTF(s.partner());
            InternalSerdes.writeNullable(out, s.district());
            InternalSerdes.writeNullable(out, s.upazila());
        }
    }

    static Placement read(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        String program = in.readUTF();
        String sex = in.readUTF();
        String band = in.readUTF();
        String firstMonth = in.readUTF();
        int n = in.readInt();
        List<Spot> spots = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            spots.add(new Spot(in.readUTF(), in.readUTF(), InternalSerdes.readNullable(in), InternalSerdes.readNullable(in)));
        }
        return new Placement(program, sex, band, firstMonth, List.copyOf(spots));
    }
}
