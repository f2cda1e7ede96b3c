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
 * under, the first month they were ever reached in the program, every distinct (month, partner,
 * district, upazila) they were reached in, with the org units already rolled up and the first day
 * they were reached there, and for each partner that reached them that partner's own view of them.
 * {@link #cells()} expands it into the outreach cells; comparing placements tells whether any cell
 * changed without expanding them.
 *
 * <p>Cell key: {@code program|period_kind|period|dimension|dimension_id|sex|age_band} — the grain of
 * {@code OutreachCount}. A person is in a cell once however many activities put them there (so the
 * counts are distinct persons), in the months, quarters, calendar years, fiscal years (one per start
 * month, {@link Periods}) and program-to-date of every place reached,
 * for the program, the partner, and the district and upazila the activity's org unit rolls up to
 * (skipped when the org unit is not in the reference data), each for the person's sex x age band and
 * for all. A partner's own figures depend only on its own records: in the cells of dimension
 * {@code partner} the person's sex and age band come from that partner's records of the person (its
 * most recent by date; a later enrolment or dialogue wins; tie: the aggregate id; none: unknown),
 * and they are newly reached when the first month that partner ever reached them falls in the cell's
 * period. The program, district and upazila cells pool partners: there the attributes come from the
 * person's most recent record of any partner, and newly reached means the first month ever reached
 * in the program. In each cell the person has a day: the first day they were reached within the
 * cell's period and dimension. A cell's as_of is the latest of its persons' days — the last day its
 * count of distinct persons could have grown.
 */
record Placement(String program, String sex, String ageBand, String firstMonth, List<Spot> spots, List<PartnerView> partners) {

    static final String ALL = "all";
    private static final String PROGRAM = "program";
    private static final String PARTNER = "partner";
    private static final String DISTRICT = "district";
    private static final String UPAZILA = "upazila";

    /** A month in which the person was reached, by which partner, in which district and upazila (either may be null), from which day. */
    record Spot(String month, String partner, String district, String upazila, int firstDay) {
        static final Comparator<Spot> ORDER = Comparator.comparing(Spot::month).thenComparing(Spot::partner)
                .thenComparing(Spot::district, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Spot::upazila, Comparator.nullsFirst(Comparator.naturalOrder()));
    }

    /**
     * How the person counts in one partner's cells: the sex and age band from that partner's own
     * records (unknown when it recorded none), and the first month that partner reached them.
     */
    record PartnerView(String partner, String sex, String ageBand, String firstMonth) {
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
        Map<String, Reach.Attributes> latestOfPartner = new HashMap<>();
        String firstMonth = null;
        TreeMap<String, String> firstMonthOfPartner = new TreeMap<>();
        TreeMap<Spot, Spot> spots = new TreeMap<>(Spot.ORDER);
        for (Reach r : reaches) {
            Reach.Attributes a = r.attributes();
            if (a != null) {
                if (latest == null || Reach.Attributes.RECENCY.compare(a, latest) > 0) {
                    latest = a;
                }
                latestOfPartner.merge(a.partner(), a, (x, y) -> Reach.Attributes.RECENCY.compare(x, y) >= 0 ? x : y);
            }
            for (Reach.Place p : r.places()) {
                if (firstMonth == null || p.month().compareTo(firstMonth) < 0) {
                    firstMonth = p.month();
                }
                firstMonthOfPartner.merge(p.partner(), p.month(), (x, y) -> x.compareTo(y) <= 0 ? x : y);
                Spot spot = new Spot(p.month(), p.partner(), districtOf.apply(p.orgUnit()), upazilaOf.apply(p.orgUnit()), p.firstDay());
                spots.merge(spot, spot, (a1, b1) -> a1.firstDay() <= b1.firstDay() ? a1 : b1);
            }
        }
        if (firstMonth == null) {
            return null;
        }
        List<PartnerView> partners = new ArrayList<>(firstMonthOfPartner.size());
        firstMonthOfPartner.forEach((partner, first) -> {
            Reach.Attributes own = latestOfPartner.get(partner);
            partners.add(new PartnerView(partner, sexOf(own), bandOf(own), first));
        });
        return new Placement(program, sexOf(latest), bandOf(latest), firstMonth, List.copyOf(spots.values()), List.copyOf(partners));
    }

    private static String sexOf(Reach.Attributes a) {
        return a == null ? "unknown" : a.sex();
    }

    private static String bandOf(Reach.Attributes a) {
        return a == null ? AgeBand.UNKNOWN : a.ageBand();
    }

    /** The partner's own view of the person (every partner of a spot has one). */
    private PartnerView view(String partner) {
        for (PartnerView v : partners) {
            if (v.partner().equals(partner)) {
                return v;
            }
        }
        throw new IllegalStateException("no view of partner " + partner + " in a placement of program " + program);
    }

    /** The cells of a placement (none for null), by cell key. */
    static Map<String, Cell> cells(Placement placement) {
        return placement == null ? Map.of() : placement.cells();
    }

    /** Every cell of the person: each cell of their group, and the same cell for all groups. */
    Map<String, Cell> cells() {
        Map<String, Cell> out = new HashMap<>();
        groupCells(Scope.ALL).forEach((key, cell) -> {
            out.put(key.text(), cell);
            out.put(key.baseText() + Keys.SEP + ALL_GROUP, cell);
        });
        return out;
    }

    /**
     * The cells of the person's groups (sex x age band) that differ between both placements, each
     * with its full value: {@code [before, after]} (either null when the person is not in the cell).
     * The "all" cells are left out: a person is in exactly one group of a cell, so a cell for all is
     * the sum of the cells of its groups, which the count stage adds up itself. A pooled cell's value
     * (program, district, upazila) depends only on the spots mapping to it and on the program-wide
     * group and first month; a partner cell's on the spots mapping to it and on that partner's view.
     * So only the cells a changed spot maps to (the periods of its month, quarter, years and to date, for
     * the program and its partner, district and upazila) are expanded, plus every pooled cell when
     * the program-wide group or first month changed and every cell of a partner whose view changed:
     * a new group moves the person out of each such cell of the old group and into the new one.
     */
    static Map<CellKey, Cell[]> changes(Placement before, Placement after) {
        if (before == null || after == null) {
            Map<CellKey, Cell[]> changes = new HashMap<>();
            if (before != null) {
                before.groupCells(Scope.ALL).forEach((key, cell) -> changes.put(key, new Cell[] {cell, null}));
            }
            if (after != null) {
                after.groupCells(Scope.ALL).forEach((key, cell) -> changes.put(key, new Cell[] {null, cell}));
            }
            return changes;
        }
        Scope scope = Scope.of(before, after);
        Map<CellKey, Cell> was = before.groupCells(scope);
        Map<CellKey, Cell> now = after.groupCells(scope);
        Map<CellKey, Cell[]> changes = new HashMap<>();
        now.forEach((key, cell) -> {
            Cell old = was.get(key);
            if (!cell.equals(old)) {
                changes.put(key, new Cell[] {old, cell});
            }
        });
        was.forEach((key, cell) -> {
            if (!now.containsKey(key)) {
                changes.put(key, new Cell[] {cell, null});
            }
        });
        return changes;
    }

    /**
     * Which cells to expand: every cell ({@link #ALL}); every pooled cell ({@code pooled}); every cell
     * of the partners in {@code wholePartners}; and the periods and dimension values touched by
     * changed spots.
     */
    private record Scope(boolean everything, boolean pooled, Set<String> wholePartners, Set<String> months,
                         Set<String> quarters, Set<String> years, Set<String> partners, Set<String> districts, Set<String> upazilas) {
        static final Scope ALL = new Scope(true, true, Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of());

        static Scope of(Placement before, Placement after) {
            Set<Spot> changed = new HashSet<>(before.spots);
            for (Spot s : after.spots) {
                if (!changed.remove(s)) {
                    changed.add(s);
                }
            }
            boolean pooled = !before.program.equals(after.program) || !before.firstMonth.equals(after.firstMonth)
                    || !before.sex.equals(after.sex) || !before.ageBand.equals(after.ageBand);
            Set<String> wholePartners = new HashSet<>();
            Set<PartnerView> views = new HashSet<>(before.partners);
            for (PartnerView v : after.partners) {
                if (!views.remove(v)) {
                    views.add(v);
                }
            }
            views.forEach(v -> wholePartners.add(v.partner()));
            Scope scope = new Scope(false, pooled, wholePartners, new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>(),
                    new HashSet<>(), new HashSet<>());
            for (Spot s : changed) {
                scope.months.add(s.month());
                scope.quarters.add(Periods.quarterOfMonth(s.month()));
                scope.years.add(Periods.yearOfMonth(s.month()));
                for (int start : Periods.FISCAL_STARTS) {
                    scope.years.add(Periods.fiscalYearOfMonth(s.month(), start));
                }
                scope.partners.add(s.partner());
                scope.districts.add(s.district());
                scope.upazilas.add(s.upazila());
            }
            return scope;
        }

        boolean isEmpty() {
            return !everything && !pooled && wholePartners.isEmpty() && months.isEmpty();
        }

        boolean covers(String kind, String period, String dimension, String id) {
            if (everything || (PARTNER.equals(dimension) ? wholePartners.contains(id) : pooled)) {
                return true;
            }
            boolean inPeriod = switch (kind) {
                case Periods.MONTH -> months.contains(period);
                case Periods.QUARTER -> quarters.contains(period);
                case Periods.YEAR, Periods.FISCAL_YEAR -> years.contains(period);
                default -> !months.isEmpty();
            };
            return inPeriod && switch (dimension) {
                case PARTNER -> partners.contains(id);
                case DISTRICT -> districts.contains(id);
                case UPAZILA -> upazilas.contains(id);
                default -> true;
            };
        }
    }

    /** The cells in scope of the person's groups, each with the person's newness and earliest day there. */
    private Map<CellKey, Cell> groupCells(Scope scope) {
        Map<CellKey, Cell> cells = new HashMap<>();
        if (scope.isEmpty()) {
            return cells;
        }
        String group = groupLabel(sex, ageBand);
        String firstQuarter = Periods.quarterOfMonth(firstMonth);
        for (Spot spot : spots) {
            PartnerView own = view(spot.partner());
            String ownGroup = groupLabel(own.sex(), own.ageBand());
            String quarter = Periods.quarterOfMonth(spot.month());
            addPeriod(cells, scope, Periods.MONTH, spot.month(), spot.month().equals(firstMonth), spot.month().equals(own.firstMonth()),
                    spot, group, ownGroup);
            addPeriod(cells, scope, Periods.QUARTER, quarter, quarter.equals(firstQuarter),
                    quarter.equals(Periods.quarterOfMonth(own.firstMonth())), spot, group, ownGroup);
            String year = Periods.yearOfMonth(spot.month());
            addPeriod(cells, scope, Periods.YEAR, year, year.equals(Periods.yearOfMonth(firstMonth)),
                    year.equals(Periods.yearOfMonth(own.firstMonth())), spot, group, ownGroup);
            for (int start : Periods.FISCAL_STARTS) {
                String fiscal = Periods.fiscalYearOfMonth(spot.month(), start);
                addPeriod(cells, scope, Periods.FISCAL_YEAR, fiscal, fiscal.equals(Periods.fiscalYearOfMonth(firstMonth, start)),
                        fiscal.equals(Periods.fiscalYearOfMonth(own.firstMonth(), start)), spot, group, ownGroup);
            }
            addPeriod(cells, scope, Periods.TO_DATE, Periods.ALL, true, true, spot, group, ownGroup);
        }
        return cells;
    }

    /**
     * The cells of one period of a spot in scope: the program, district and upazila (each skipped
     * when unknown) under the program-wide group and newness, the partner under its own.
     */
    private void addPeriod(Map<CellKey, Cell> cells, Scope scope, String kind, String period, boolean isNew, boolean isNewToPartner,
                           Spot spot, String group, String ownGroup) {
        Cell pooled = new Cell(isNew, spot.firstDay());
        if (scope.covers(kind, period, PROGRAM, program)) {
            add(cells, new CellKey(program, kind, period, PROGRAM, program, group), pooled);
        }
        if (scope.covers(kind, period, PARTNER, spot.partner())) {
            add(cells, new CellKey(program, kind, period, PARTNER, spot.partner(), ownGroup), new Cell(isNewToPartner, spot.firstDay()));
        }
        if (spot.district() != null && scope.covers(kind, period, DISTRICT, spot.district())) {
            add(cells, new CellKey(program, kind, period, DISTRICT, spot.district(), group), pooled);
        }
        if (spot.upazila() != null && scope.covers(kind, period, UPAZILA, spot.upazila())) {
            add(cells, new CellKey(program, kind, period, UPAZILA, spot.upazila(), group), pooled);
        }
    }

    /** A cell reached from several spots keeps the earliest day (isNew is the same for every spot of a period). */
    private static void add(Map<CellKey, Cell> cells, CellKey key, Cell cell) {
        Cell before = cells.get(key);
        if (before == null || cell.day() < before.day()) {
            cells.put(key, cell);
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
        out.writeInt(placement.partners.size());
        for (PartnerView v : placement.partners) {
            out.writeString(v.partner());
            out.writeString(v.sex());
            out.writeString(v.ageBand());
            out.writeString(v.firstMonth());
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
        n = in.readInt();
        List<PartnerView> partners = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            partners.add(new PartnerView(in.readString(), in.readString(), in.readString(), in.readString()));
        }
        return new Placement(program, sex, band, firstMonth, List.copyOf(spots), List.copyOf(partners));
    }
}
