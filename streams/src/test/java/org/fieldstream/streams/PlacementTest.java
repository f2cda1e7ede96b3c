package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * The person stage's cell diff: expanding only the cells changed spots touch gives the same changes
 * of the person's group cells as expanding everything (the cells for all groups are summed by the
 * count stage, so the diff leaves them out).
 */
class PlacementTest {

    private static final String[] MONTHS = {"2026-01", "2026-02", "2026-03", "2026-05"};
    private static final String[] PARTNERS = {"ngo1", "ngo2"};
    private static final String[] UNITS = {"d1", "d2", null};
    private static final String[] SEXES = {"female", "male"};
    private static final String[] BANDS = {"youth_15_29", "adult_30_plus"};

    /** Each partner's reach of the person, with that partner's attributes (sometimes none). */
    private static List<Reach> reaches(Random r) {
        List<Reach> reaches = new ArrayList<>();
        for (String partner : PARTNERS) {
            reaches.add(reach(places(r, partner), attributes(r, partner)));
        }
        return reaches;
    }

    private static List<Reach.Place> places(Random r, String partner) {
        List<Reach.Place> places = new ArrayList<>();
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            String month = MONTHS[r.nextInt(MONTHS.length)];
            int day = EventDays.of(java.time.YearMonth.parse(month).atDay(1 + r.nextInt(3)));
            places.add(new Reach.Place(month, partner, UNITS[r.nextInt(UNITS.length)], day));
        }
        return places;
    }

    private static Reach.Attributes attributes(Random r, String partner) {
        return r.nextInt(4) == 0 ? null : new Reach.Attributes(SEXES[r.nextInt(2)], BANDS[r.nextInt(2)], r.nextInt(3), 1,
                "p1/" + partner + "/c1", partner);
    }

    private static Reach reach(List<Reach.Place> places, Reach.Attributes attributes) {
        return Reach.sorted("p1", attributes, places);
    }

    /** One partner's reach changed: its places, its attributes, or both. */
    private static List<Reach> changeOne(Random r, List<Reach> reaches) {
        List<Reach> out = new ArrayList<>(reaches);
        int i = r.nextInt(out.size());
        String partner = PARTNERS[i];
        Reach was = out.get(i);
        int what = r.nextInt(3);
        out.set(i, reach(what == 1 ? was.places() : places(r, partner), what == 0 ? was.attributes() : attributes(r, partner)));
        return out;
    }

    private static Placement placement(List<Reach> reaches) {
        return Placement.of("p1", reaches, u -> u, u -> u == null ? null : "z-" + u);
    }

    /** The naive diff: every group cell of both placements. */
    private static Map<String, String> naive(Placement before, Placement after) {
        Map<String, Placement.Cell> was = new HashMap<>(Placement.cells(before));
        Map<String, Placement.Cell> now = new HashMap<>(Placement.cells(after));
        was.keySet().removeIf(PlacementTest::forAllGroups);
        now.keySet().removeIf(PlacementTest::forAllGroups);
        Map<String, String> out = new TreeMap<>();
        now.forEach((cell, v) -> {
            if (!v.equals(was.get(cell))) {
                out.put(cell, was.get(cell) + "->" + v);
            }
        });
        was.forEach((cell, v) -> {
            if (!now.containsKey(cell)) {
                out.put(cell, v + "->null");
            }
        });
        return out;
    }

    private static boolean forAllGroups(String cell) {
        return cell.endsWith(Keys.SEP + Placement.ALL_GROUP);
    }

    @Test
    void scopedChangesEqualTheFullDiff() {
        Random r = new Random(5);
        for (int i = 0; i < 3000; i++) {
            List<Reach> reaches = reaches(r);
            Placement before = placement(reaches);
            Placement after = placement(r.nextBoolean() ? changeOne(r, reaches) : reaches(r));
            Map<String, String> scoped = new TreeMap<>();
            Placement.changes(before, after).forEach((cell, c) -> scoped.put(cell.text(), c[0] + "->" + c[1]));
            assertEquals(naive(before, after), scoped, "case " + i + ": " + before + " -> " + after);
        }
    }

    @Test
    void aCellKeepsTheEarliestDayOfItsSpots() {
        List<Reach.Place> places = List.of(new Reach.Place("2026-03", "ngo1", "d1", 20_520), new Reach.Place("2026-02", "ngo1", "d1", 20_490),
                new Reach.Place("2026-03", "ngo2", "d1", 20_515));
        Placement p = Placement.of("p1", List.of(Reach.sorted("p1", null, places)), u -> u, u -> null);
        Map<String, Placement.Cell> cells = new HashMap<>(p.cells());
        assertEquals(new Placement.Cell(false, 20_515), cells.get("p1|month|2026-03|program|p1|all|all"));
        assertEquals(new Placement.Cell(true, 20_490), cells.get("p1|quarter|2026-Q1|district|d1|all|all"));
        assertEquals(new Placement.Cell(false, 20_520), cells.get("p1|month|2026-03|partner|ngo1|unknown|unknown"));
        assertEquals(Arrays.asList(true, 20_490), Arrays.asList(cells.get("p1|to_date|all|partner|ngo1|all|all").isNew(),
                cells.get("p1|to_date|all|partner|ngo1|all|all").day()));
    }

    @Test
    void yearsAndFiscalYearsCountAPersonOnceAndNewOnlyInTheYearFirstReached() {
        List<Reach.Place> places = List.of(new Reach.Place("2025-09", "ngo1", "d1", 20_335), new Reach.Place("2025-10", "ngo1", "d1", 20_362),
                new Reach.Place("2026-02", "ngo1", "d1", 20_490));
        Map<String, Placement.Cell> cells = Placement.of("p1", List.of(Reach.sorted("p1", null, places)), u -> u, u -> null).cells();
        assertEquals(new Placement.Cell(true, 20_335), cells.get("p1|year|2025|program|p1|all|all"));
        assertEquals(new Placement.Cell(false, 20_490), cells.get("p1|year|2026|program|p1|all|all"));
        assertEquals(new Placement.Cell(true, 20_335), cells.get("p1|fiscal_year|FY2025-10|program|p1|all|all"), "September 2025");
        assertEquals(new Placement.Cell(false, 20_362), cells.get("p1|fiscal_year|FY2026-10|district|d1|all|all"),
                "October 2025 and February 2026, first day of the two");
        assertEquals(new Placement.Cell(true, 20_335), cells.get("p1|fiscal_year|FY2026-04|partner|ngo1|unknown|unknown"),
                "September 2025 to February 2026 are one April fiscal year");
        assertEquals(new Placement.Cell(true, 20_335), cells.get("p1|fiscal_year|FY2026-07|program|p1|all|all"));
        assertEquals(null, cells.get("p1|fiscal_year|FY2027-10|program|p1|all|all"));
    }

    @Test
    void aPartnersCellsTakeThatPartnersAttributesAndFirstMonth() {
        Reach own = Reach.sorted("p1", new Reach.Attributes("female", "youth_15_29", 20_480, 1, "p1/ngo1/c1", "ngo1"),
                List.of(new Reach.Place("2026-03", "ngo1", "d1", 20_520)));
        Reach other = Reach.sorted("p1", new Reach.Attributes("male", "adult_30_plus", 20_500, 1, "p1/ngo2/c9", "ngo2"),
                List.of(new Reach.Place("2026-01", "ngo2", "d1", 20_460)));
        Map<String, Placement.Cell> alone = placement(List.of(own)).cells();
        Map<String, Placement.Cell> both = placement(List.of(own, other)).cells();
        Map<String, Placement.Cell> ownCells = new TreeMap<>();
        both.forEach((cell, v) -> {
            if (cell.contains("|partner|ngo1|")) {
                ownCells.put(cell, v);
            }
        });
        Map<String, Placement.Cell> ownAlone = new TreeMap<>();
        alone.forEach((cell, v) -> {
            if (cell.contains("|partner|ngo1|")) {
                ownAlone.put(cell, v);
            }
        });
        assertEquals(ownAlone, ownCells, "ngo2's records leave ngo1's cells as they are");
        assertEquals(new Placement.Cell(true, 20_520), both.get("p1|month|2026-03|partner|ngo1|female|youth_15_29"));
        assertEquals(new Placement.Cell(false, 20_520), both.get("p1|month|2026-03|program|p1|male|adult_30_plus"));
        assertEquals(new Placement.Cell(true, 20_460), both.get("p1|month|2026-01|partner|ngo2|male|adult_30_plus"));
    }
}
