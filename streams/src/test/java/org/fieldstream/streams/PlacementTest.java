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

    private static Placement random(Random r, String sex) {
        if (r.nextInt(6) == 0) {
            return null;
        }
        List<Reach.Place> places = new ArrayList<>();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            String month = MONTHS[r.nextInt(MONTHS.length)];
            int day = EventDays.of(java.time.YearMonth.parse(month).atDay(1 + r.nextInt(3)));
            places.add(new Reach.Place(month, PARTNERS[r.nextInt(2)], UNITS[r.nextInt(UNITS.length)], day));
        }
        Reach reach = Reach.sorted("p1", new Reach.Attributes(sex, "unknown", 1, 1, "a"), places);
        return Placement.of("p1", List.of(reach), u -> u, u -> u == null ? null : "z-" + u);
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
            Placement before = random(r, "female");
            Placement after = random(r, r.nextInt(5) == 0 ? "male" : "female");
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
}
