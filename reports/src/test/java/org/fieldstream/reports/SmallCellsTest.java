package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SmallCellsTest {

    @Test
    void aSmallCellAloneInItsRowAndColumnTakesAnotherWithIt() {
        // sex x age band: one cell of 2 people
        SmallCells.Table t = SmallCells.suppress(new long[][] {{2, 30, 40}, {25, 35, 45}}, 5);
        assertEquals("<5", t.shown(0, 0));
        assertEquals(List.of("0,0", "0,1", "1,0", "1,1"), positions(t));
        assertEquals(List.of(), Attacker.recovered(twoWay(t)), "a hidden cell is recovered");
        // exact otherwise: the cells kept are the counts
        assertEquals("40", t.shown(0, 2));
        assertEquals("45", t.shown(1, 2));
        assertEquals(Long.toString(2 + 30 + 40 + 25 + 35 + 45), t.shownGrandTotal());
    }

    @Test
    void complementaryCellsAreTheSmallestShownOnes() {
        SmallCells.Table t = SmallCells.suppress(new long[][] {{3, 6, 90}, {7, 80, 100}}, 5);
        assertTrue(t.hidden()[0][0]);
        assertTrue(t.hidden()[0][1], "6 is the smallest shown cell of row 0: " + positions(t));
        assertTrue(t.hidden()[1][0], "7 is the smallest shown cell of column 0: " + positions(t));
        assertFalse(t.hidden()[1][2]);
        assertFalse(t.grandTotalHidden());
    }

    @Test
    void nothingHiddenWhenEveryCountReachesK() {
        SmallCells.Table t = SmallCells.suppress(new long[][] {{5, 6}, {7, 8}}, 5);
        assertEquals(List.of(), positions(t));
        assertEquals("26", t.shownGrandTotal());
    }

    @Test
    void zeroIsShownAndASmallTotalIsHidden() {
        SmallCells.Table t = SmallCells.suppress(new long[][] {{0, 3}, {40, 50}}, 5);
        assertEquals("0", t.shown(0, 0), "a true zero describes nobody");
        assertTrue(t.hidden()[0][1] && t.rowTotalHidden()[0], positions(t).toString());
        assertEquals(List.of(), Attacker.recovered(twoWay(t)));
        SmallCells.Table zeros = SmallCells.suppress(new long[][] {{0, 0}, {0, 0}}, 5);
        assertEquals(List.of(), positions(zeros));
    }

    @Test
    void hiddenPartsThatCanOnlyBeOnesAreProtected() {
        // 1 and 1 beside 50: their row says they add up to 2, and a hidden count is at least 1 once zeros are shown
        SmallCells.Table t = SmallCells.suppress(new long[][] {{1, 1, 50}, {20, 30, 60}}, 5);
        assertTrue(t.hidden()[0][2], "the row's 50 is hidden too: " + positions(t));
        assertEquals(List.of(), Attacker.recovered(twoWay(t)));
    }

    /** Partner x sex (female, male, unknown) with each partner's total, the program's figure by sex and the program's total. */
    @Test
    void partnerBySexWithProgramTotalsHidesNothingRecoverable() {
        long[][] partnerBySex = {{40, 38, 2}, {12, 3, 0}, {25, 27, 1}};
        SmallCells.Table t = SmallCells.suppress(partnerBySex, 5);
        assertEquals("<5", t.shown(0, 2), "unknown sex follows the same rule");
        assertEquals("<5", t.shown(1, 1));
        assertEquals("0", t.shown(1, 2));
        assertEquals(List.of(), Attacker.recovered(twoWay(t)));
        assertEquals(Long.toString(40 + 38 + 2 + 12 + 3 + 25 + 27 + 1), t.shownGrandTotal(), "the program's figure stays exact");
    }

    /** Program > partner > district, each by sex: every level a sum of the one below, both ways. */
    @Test
    void threeLevelsOfTotalsAreProtectedTogether() {
        Random random = new Random(23);
        int hidden = 0;
        for (int i = 0; i < 60; i++) {
            Hierarchy h = Hierarchy.random(random, 2 + random.nextInt(3), 1 + random.nextInt(3), 3);
            SmallCells.Published p = h.cells.suppress(5);
            hidden += p.hiddenCount();
            assertEquals(List.of(), Attacker.recovered(p), "hierarchy " + i);
            assertSmallHiddenOthersExact(h.cells, p, "hierarchy " + i);
        }
        assertTrue(hidden > 60, "the hierarchies had small cells: " + hidden);
    }

    @Test
    void aFigureShownInTwoTablesIsOneCell() {
        SmallCells.Cells cells = new SmallCells.Cells();
        int a = cells.add("people_reached|2026-01", 3);
        assertEquals(a, cells.add("people_reached|2026-01", 3));
        assertThrows(IllegalArgumentException.class, () -> cells.add("people_reached|2026-01", 4));
    }

    @Test
    void aPartTheTableDoesNotShowIsProtectedWhenSmall() {
        // the program's 60 and two of its three partners (30 and 27): the third partner's 3 must not follow
        SmallCells.Cells cells = new SmallCells.Cells();
        int program = cells.add(60);
        int first = cells.add(30);
        int second = cells.add(27);
        int third = cells.notShown(3);
        cells.sum(program, List.of(first, second, third));
        SmallCells.Published p = cells.suppress(5);
        assertTrue(p.isHidden(third));
        assertTrue(p.isHidden(second), "27 is hidden so that 60 - 30 does not give the third partner's 3");
        assertEquals(List.of(), Attacker.recovered(p));
        SmallCells.Cells large = new SmallCells.Cells();
        int total = large.add(60);
        large.sum(total, List.of(large.add(30), large.add(20), large.notShown(10)));
        assertEquals(1, large.suppress(5).hiddenCount(), "a large part not shown needs no protection");
    }

    @Test
    void ratesNeedBothParts() {
        assertTrue(SmallCells.rateShown(false, false));
        assertFalse(SmallCells.rateShown(true, false));
        assertFalse(SmallCells.rateShown(false, true));
    }

    @Test
    void badInputIsNamed() {
        assertThrows(IllegalArgumentException.class, () -> SmallCells.suppress(new long[][] {{1, -2}}, 5));
        assertThrows(IllegalArgumentException.class, () -> SmallCells.suppress(new long[][] {{1, 2}, {3}}, 5));
        assertThrows(IllegalArgumentException.class, () -> SmallCells.suppress(new long[][] {{1}}, 0));
        SmallCells.Cells cells = new SmallCells.Cells();
        int total = cells.add(10);
        int part = cells.add(3);
        assertEquals("cell 0 is 10 but its parts [1] add up to 3",
                assertThrows(IllegalArgumentException.class, () -> cells.sum(total, List.of(part))).getMessage());
    }

    /** Tables built to have cells of 1-4 people: no attacker using the table's sums recovers a hidden cell. */
    @Test
    void noHiddenCellOfRandomTablesWithSmallCellsIsRecoverable() {
        Random random = new Random(7);
        int hiddenCells = 0;
        for (int i = 0; i < 300; i++) {
            int rows = 1 + random.nextInt(5);
            int columns = 1 + random.nextInt(6);
            long[][] cells = new long[rows][columns];
            for (long[] row : cells) {
                for (int c = 0; c < columns; c++) {
                    row[c] = random.nextInt(3) == 0 ? 1 + random.nextInt(4) : random.nextInt(60);
                }
            }
            SmallCells.Table t = SmallCells.suppress(cells, 5);
            hiddenCells += t.hiddenPositions().size();
            assertEquals(List.of(), Attacker.recovered(twoWay(t)), "table " + i);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    if (cells[r][c] > 0 && cells[r][c] < 5) {
                        assertTrue(t.hidden()[r][c], "table " + i + " shows a small cell");
                    } else if (!t.hidden()[r][c]) {
                        assertEquals(Long.toString(cells[r][c]), t.shown(r, c), "a shown cell is exact");
                    }
                }
            }
        }
        assertTrue(hiddenCells > 300, "the tables had small cells: " + hiddenCells);
    }

    static void assertSmallHiddenOthersExact(SmallCells.Cells cells, SmallCells.Published p, String what) {
        for (int c = 0; c < cells.size(); c++) {
            if (cells.count(c) > 0 && cells.count(c) < p.k()) {
                assertTrue(p.isHidden(c), what + " shows the small cell " + c);
                assertEquals("<" + p.k(), p.shown(c));
            } else if (!p.isHidden(c)) {
                assertEquals(Long.toString(cells.count(c)), p.shown(c), what + ": a shown cell is exact");
            }
        }
    }

    /** The 2D table as the attacker reads it: interior, row totals, column totals, grand total and its sums. */
    private static SmallCells.Published twoWay(SmallCells.Table t) {
        int rows = t.cells().length;
        int columns = rows == 0 ? 0 : t.cells()[0].length;
        int n = rows * columns + rows + columns + 1;
        long[] counts = new long[n];
        boolean[] hidden = new boolean[n];
        List<SmallCells.Sum> sums = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                counts[r * columns + c] = t.cells()[r][c];
                hidden[r * columns + c] = t.hidden()[r][c];
            }
        }
        int grand = n - 1;
        List<Integer> rowIds = new ArrayList<>();
        List<Integer> columnIds = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int id = rows * columns + r;
            counts[id] = t.rowTotals()[r];
            hidden[id] = t.rowTotalHidden()[r];
            List<Integer> parts = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                parts.add(r * columns + c);
            }
            sums.add(new SmallCells.Sum(id, parts));
            rowIds.add(id);
        }
        for (int c = 0; c < columns; c++) {
            int id = rows * columns + rows + c;
            counts[id] = t.columnTotals()[c];
            hidden[id] = t.columnTotalHidden()[c];
            List<Integer> parts = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                parts.add(r * columns + c);
            }
            sums.add(new SmallCells.Sum(id, parts));
            columnIds.add(id);
        }
        counts[grand] = t.grandTotal();
        hidden[grand] = t.grandTotalHidden();
        sums.add(new SmallCells.Sum(grand, rowIds));
        sums.add(new SmallCells.Sum(grand, columnIds));
        return new SmallCells.Published(counts, hidden, sums, t.k());
    }

    private static List<String> positions(SmallCells.Table t) {
        return t.hiddenPositions().stream().map(p -> p[0] + "," + p[1]).toList();
    }

    /** Program > partners > districts, each cell by sex (female, male, unknown), with every level's totals. */
    record Hierarchy(SmallCells.Cells cells) {
        static Hierarchy random(Random random, int partners, int districts, int sexes) {
            SmallCells.Cells cells = new SmallCells.Cells();
            long[][][] counts = new long[partners][districts][sexes];
            for (long[][] partner : counts) {
                for (long[] district : partner) {
                    for (int s = 0; s < sexes; s++) {
                        district[s] = random.nextInt(3) == 0 ? 1 + random.nextInt(4) : random.nextInt(40);
                    }
                }
            }
            int[] programBySex = new int[sexes];
            List<Integer> programParts = new ArrayList<>();
            List<List<Integer>> programSexParts = new ArrayList<>();
            for (int s = 0; s < sexes; s++) {
                programSexParts.add(new ArrayList<>());
            }
            long programTotal = 0;
            List<Runnable> sums = new ArrayList<>();
            for (int p = 0; p < partners; p++) {
                List<Integer> partnerParts = new ArrayList<>();
                List<List<Integer>> partnerSexParts = new ArrayList<>();
                long partnerTotal = 0;
                long[] partnerBySex = new long[sexes];
                for (int s = 0; s < sexes; s++) {
                    partnerSexParts.add(new ArrayList<>());
                }
                for (int d = 0; d < districts; d++) {
                    List<Integer> sexCells = new ArrayList<>();
                    long districtTotal = 0;
                    for (int s = 0; s < sexes; s++) {
                        int cell = cells.add(counts[p][d][s]);
                        sexCells.add(cell);
                        partnerSexParts.get(s).add(cell);
                        districtTotal += counts[p][d][s];
                        partnerBySex[s] += counts[p][d][s];
                    }
                    int district = cells.add(districtTotal);
                    cells.sum(district, sexCells);
                    partnerParts.add(district);
                    partnerTotal += districtTotal;
                }
                List<Integer> bySex = new ArrayList<>();
                for (int s = 0; s < sexes; s++) {
                    int cell = cells.add(partnerBySex[s]);
                    cells.sum(cell, partnerSexParts.get(s));
                    bySex.add(cell);
                    programSexParts.get(s).add(cell);
                }
                int partner = cells.add(partnerTotal);
                cells.sum(partner, partnerParts);
                cells.sum(partner, bySex);
                programParts.add(partner);
                programTotal += partnerTotal;
            }
            List<Integer> programSexCells = new ArrayList<>();
            for (int s = 0; s < sexes; s++) {
                long sum = programSexParts.get(s).stream().mapToLong(cells::count).sum();
                programBySex[s] = cells.add(sum);
                cells.sum(programBySex[s], programSexParts.get(s));
                programSexCells.add(programBySex[s]);
            }
            int program = cells.add(programTotal);
            cells.sum(program, programParts);
            cells.sum(program, programSexCells);
            sums.forEach(Runnable::run);
            return new Hierarchy(cells);
        }
    }
}
