package org.fieldstream.streams;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Where one person counts in outreach, in compact form: the sex and age band the person is counted
 * under, the first month they were ever reached in the program, and every distinct (month, partner,
 * district, upazila) they were reached in, with the org units already rolled up and the first day
 * they were reached there. {@link #cells()} expands it into the outreach cells; comparing placements
 * tells whether any cell changed without expanding them.
 *
 * <p>Cell key: {@code program|period_kind|period|dimension|dimension_id|sex|age_band} — the grain of
 * {@code OutreachCount}. A person is in a cell once however many activities put them there (so the
 * counts are distinct persons), in the months, quarters and program-to-date of every place reached,
 * for the program, the partner, and the district and upazila the activity's org unit rolls up to
 * (skipped when the org unit is not in the reference data), each for the person's sex x age band and
 * for all. The person's sex and age band come from their most recent record by date (a later
 * enrolment or dialogue wins; tie: the aggregate id). In each cell the person is newly reached when
 * their first month ever reached in the program falls in the cell's period, and has a day: the first
 * day they were reached within the cell's period and dimension. A cell's as_of is the latest of its
 * persons' days — the last day its count of distinct persons could have grown.
 */
record Placement(String program, String sex, String ageBand, String firstMonth, List<Spot> spots) {

    static final String ALL = "all";

    /** A month in which the person was reached, by which partner, in which district and upazila (either may be null), from which day. */
    record Spot(String month, String partner, String district, String upazila, int firstDay) {
        static final Comparator<Spot> ORDER = Comparator.comparing(Spot::month).thenComparing(Spot::partner)
                .thenComparing(Spot::district, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Spot::upazila, Comparator.nullsFirst(Comparator.naturalOrder()));
    }

    /** The person's place in one cell: newly reached there or not, and their first day in it. */
    record Cell(boolean isNew, int day) {
    }

    /**
     * An outreach cell by its parts (each a shared string, so hashing and comparing are cheap while a
     * person's cells are expanded); {@link #text()} is the cell key.
     */
    record CellKey(String program, String kind, String period, String dimension, String id, String group) {
        String text() {
            return baseText() + Keys.SEP + group;
        }

        /** The key without the group: the cell for all and the cells of every group share it. */
        String baseText() {
            return program + Keys.SEP + kind + Keys.SEP + period + Keys.SEP + dimension + Keys.SEP + id;
        }
    }

    /** The group label of the cells for all sexes and age bands. */
    static final String ALL_GROUP = ALL + Keys.SEP + ALL;
    private static final String[][] GROUP_LABELS = new String[Groups.SEXES.size()][Groups.BANDS.size()];

    static {
        for (int sex = 0; sex < Groups.SEXES.size(); sex++) {
            for (int band = 0; band < Groups.BANDS.size(); band++) {
                GROUP_LABELS[sex][band] = Groups.SEXES.get(sex) + Keys.SEP + Groups.BANDS.get(band);
            }
        }
    }

    private static String groupLabel(String sex, String band) {
        int s = Groups.SEXES.indexOf(sex);
        int b = Groups.BANDS.indexOf(band);
        return s >= 0 && b >= 0 ? GROUP_LABELS[s][b] : sex + Keys.SEP + band;
    }

    /** The person's placement from everything their aggregates contribute; null when they were reached nowhere. */
    static Placement of(String program, Collection<Reach> reaches, UnaryOperator<String> districtOf, UnaryOperator<String> upazilaOf) {
        Reach.Attributes latest = null;
        String firstMonth = null;
        TreeMap<Spot, Spot> spots = new TreeMap<>(Spot.ORDER);
        for (Reach r : reaches) {
            if (r.attributes() != null && (latest == null || Reach.Attributes.RECENCY.compare(r.attributes(), latest) > 0)) {
                latest = r.attributes();
            }
            for (Reach.Place p : r.places()) {
                if (firstMonth == null || p.month().compareTo(firstMonth) < 0) {
                    firstMonth = p.month();
                }
                Spot spot = new Spot(p.month(), p.partner(), districtOf.apply(p.orgUnit()), upazilaOf.apply(p.orgUnit()), p.firstDay());
                spots.merge(spot, spot, (a, b) -> a.firstDay() <= b.firstDay() ? a : b);
            }
        }
        if (firstMonth == null) {
            return null;
        }
        return new Placement(program, latest == null ? "unknown" : latest.sex(), latest == null ? AgeBand.UNKNOWN : latest.ageBand(),
                firstMonth, List.copyOf(spots.values()));
    }

    /** The cells of a placement (none for null), by cell key. */
    static Map<String, Cell> cells(Placement placement) {
        return placement == null ? Map.of() : placement.cells();
    }

    Map<String, Cell> cells() {
        Map<String, Cell> out = new HashMap<>();
        String group = groupLabel(sex, ageBand);
        baseCells(Scope.ALL).forEach((base, cell) -> {
            out.put(base.key(program, group).text(), cell);
            out.put(base.key(program, ALL_GROUP).text(), cell);
        });
        return out;
    }

    /** A cell without its sex x age band: the person is in it twice, under their group and under all. */
    private record Base(String kind, String period, String dimension, String id) {
        CellKey key(String program, String group) {
            return new CellKey(program, kind, period, dimension, id, group);
        }
    }

    /**
     * The cells of the person's group (sex x age band) that differ between both placements, each
     * with its full value: {@code [before, after]} (either null when the person is not in the cell).
     * The "all" cells are left out: a person is in exactly one group, so a cell for all is the sum of
     * the cells of its groups, which the count stage adds up itself. A cell's value depends only on
     * the spots mapping to it and on the program, group and first month: with the same program and
     * first month only the cells a changed spot maps to can change (the periods of its month and
     * quarter and to date, for the program and its partner, district and upazila), so only those are
     * expanded; a new group moves the person out of every cell of the old group and into every cell
     * of the new one.
     */
    static Map<CellKey, Cell[]> changes(Placement before, Placement after) {
        if (before == null || after == null) {
            return before == null ? (after == null ? Map.of() : after.groupCells(false)) : before.groupCells(true);
        }
        String oldGroup = groupLabel(before.sex, before.ageBand);
        String newGroup = groupLabel(after.sex, after.ageBand);
        if (!before.program.equals(after.program) || !before.firstMonth.equals(after.firstMonth) || !oldGroup.equals(newGroup)) {
            Map<CellKey, Cell[]> changes = before.groupCells(true);
            after.groupCells(false).forEach((key, change) -> {
                Cell[] was = changes.get(key);
                if (was == null) {
                    changes.put(key, change);
                } else if (was[0].equals(change[1])) {
                    changes.remove(key);
                } else {
                    was[1] = change[1];
                }
            });
            return changes;
        }
        Scope scope = Scope.of(before, after);
        Map<Base, Cell> was = before.baseCells(scope);
        Map<Base, Cell> now = after.baseCells(scope);
        Map<CellKey, Cell[]> changes = new HashMap<>();
        now.forEach((base, cell) -> {
            Cell old = was.get(base);
            if (!cell.equals(old)) {
                changes.put(base.key(after.program, newGroup), new Cell[] {old, cell});
            }
        });
        was.forEach((base, cell) -> {
            if (!now.containsKey(base)) {
                changes.put(base.key(before.program, oldGroup), new Cell[] {cell, null});
            }
        });
        return changes;
    }

    /** Every cell of the placement's group as a change: the person leaves all of them ({@code leaving}) or enters all of them. */
    private Map<CellKey, Cell[]> groupCells(boolean leaving) {
        Map<Base, Cell> base = baseCells(Scope.ALL);
        Map<CellKey, Cell[]> changes = new HashMap<>(base.size() * 2);
        String group = groupLabel(sex, ageBand);
        base.forEach((b, cell) -> changes.put(b.key(program, group), leaving ? new Cell[] {cell, null} : new Cell[] {null, cell}));
        return changes;
    }

    /** Which cells to expand: periods and dimension values touched by changed spots (ALL: every cell). */
    private record Scope(Set<String> months, Set<String> quarters, Set<String> partners, Set<String> districts,
                         Set<String> upazilas) {
        static final Scope ALL = new Scope(null, null, null, null, null);

        static Scope of(Placement before, Placement after) {
            Set<Spot> changed = new HashSet<>(before.spots);
            for (Spot s : after.spots) {
                if (!changed.remove(s)) {
                    changed.add(s);
                }
            }
            Scope scope = new Scope(new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>());
            for (Spot s : changed) {
                scope.months.add(s.month());
                scope.quarters.add(Periods.quarterOfMonth(s.month()));
                scope.partners.add(s.partner());
                scope.districts.add(s.district());
                scope.upazilas.add(s.upazila());
            }
            return scope;
        }

        boolean all() {
            return months == null;
        }
    }

    /** The cells in scope without their group, each with the person's newness and earliest day there. */
    private Map<Base, Cell> baseCells(Scope scope) {
        Map<Base, Cell> cells = new HashMap<>();
        if (!scope.all() && scope.months().isEmpty()) {
            return cells;
        }
        String firstQuarter = Periods.quarterOfMonth(firstMonth);
        for (Spot spot : spots) {
            String quarter = Periods.quarterOfMonth(spot.month());
            if (scope.all() || scope.months().contains(spot.month())) {
                addPeriod(cells, scope, Periods.MONTH, spot.month(), spot.month().equals(firstMonth), spot);
            }
            if (scope.all() || scope.quarters().contains(quarter)) {
                addPeriod(cells, scope, Periods.QUARTER, quarter, quarter.equals(firstQuarter), spot);
            }
            addPeriod(cells, scope, Periods.TO_DATE, Periods.ALL, true, spot);
        }
        return cells;
    }

    /** The cells of one period of a spot: each dimension in scope (skipped when unknown). */
    private void addPeriod(Map<Base, Cell> cells, Scope scope, String kind, String period, boolean isNew, Spot spot) {
        Cell cell = new Cell(isNew, spot.firstDay());
        add(cells, new Base(kind, period, "program", program), cell);
        if (scope.all() || scope.partners().contains(spot.partner())) {
            add(cells, new Base(kind, period, "partner", spot.partner()), cell);
        }
        if (spot.district() != null && (scope.all() || scope.districts().contains(spot.district()))) {
            add(cells, new Base(kind, period, "district", spot.district()), cell);
        }
        if (spot.upazila() != null && (scope.all() || scope.upazilas().contains(spot.upazila()))) {
            add(cells, new Base(kind, period, "upazila", spot.upazila()), cell);
        }
    }

    /** A cell reached from several spots keeps the earliest day (isNew is the same for every spot of a period). */
    private static void add(Map<Base, Cell> cells, Base base, Cell cell) {
        Cell before = cells.get(base);
        if (before == null || cell.day() < before.day()) {
            cells.put(base, cell);
        }
    }

    static void write(Compact.Writer out, Placement placement) {
        out.writeBoolean(placement != null);
        if (placement == null) {
            return;
        }
        out.writeString(placement.program);
        out.writeString(placement.sex);
        out.writeString(placement.ageBand);
        out.writeString(placement.firstMonth);
        out.writeInt(placement.spots.size());
        for (Spot s : placement.spots) {
            out.writeString(s.month());
            out.writeString(s.partner());
            out.writeString(s.district());
            out.writeString(s.upazila());
            out.writeInt(s.firstDay());
        }
    }

    static Placement read(Compact.Reader in) {
        if (!in.readBoolean()) {
            return null;
        }
        String program = in.readString();
        String sex = in.readString();
        String band = in.readString();
        String firstMonth = in.readString();
        int n = in.readInt();
        List<Spot> spots = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            spots.add(new Spot(in.readString(), in.readString(), in.readString(), in.readString(), in.readInt()));
        }
        return new Placement(program, sex, band, firstMonth, List.copyOf(spots));
    }
}
