package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
        assertEquals(List.of(), recoveredByTotalMinusShown(t), "total minus shown recovers a hidden cell");
        assertNull(SmallCells.firstRecoverable(extended(t), 2, 3));
        // exact otherwise: the cells kept are the counts
        assertEquals(List.of("0,0", "0,1", "1,0", "1,1"), positions(t));
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
        assertEquals(List.of(), t.hiddenPositions().stream().map(p -> p[0] + "," + p[1]).toList());
        assertEquals("26", t.shownGrandTotal());
    }

    @Test
    void aSmallTotalIsHiddenAndZeroIsSmall() {
        SmallCells.Table t = SmallCells.suppress(new long[][] {{0, 3}, {40, 50}}, 5);
        assertTrue(t.hidden()[0][0] && t.hidden()[0][1] && t.rowTotalHidden()[0], positions(t).toString());
        assertEquals(List.of(), recoveredByTotalMinusShown(t));
        assertNull(SmallCells.firstRecoverable(extended(t), 2, 2));
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
    }

    /** Tables built to have cells of 1-4 people: no attacker using every sum of the table recovers a hidden cell. */
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
            assertEquals(List.of(), recoveredByTotalMinusShown(t), "table " + i);
            assertNull(SmallCells.firstRecoverable(extended(t), rows, columns), "table " + i);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    if (cells[r][c] < 5) {
                        assertTrue(t.hidden()[r][c], "table " + i + " shows a small cell");
                    } else if (!t.hidden()[r][c]) {
                        assertEquals(Long.toString(cells[r][c]), t.shown(r, c), "a shown cell is exact");
                    }
                }
            }
        }
        assertTrue(hiddenCells > 300, "the tables had small cells: " + hiddenCells);
    }

    /** The attack of a reader with a calculator: a row or column with one hidden entry gives it as total minus shown. */
    private static List<String> recoveredByTotalMinusShown(SmallCells.Table t) {
        boolean[][] h = extended(t);
        int rows = t.cells().length;
        int columns = rows == 0 ? 0 : t.cells()[0].length;
        List<String> recovered = new ArrayList<>();
        for (int r = 0; r <= rows; r++) {
            int n = 0;
            for (int c = 0; c <= columns; c++) {
                n += h[r][c] ? 1 : 0;
            }
            if (n == 1) {
                recovered.add("row " + r);
            }
        }
        for (int c = 0; c <= columns; c++) {
            int n = 0;
            for (int r = 0; r <= rows; r++) {
                n += h[r][c] ? 1 : 0;
            }
            if (n == 1) {
                recovered.add("column " + c);
            }
        }
        return recovered;
    }

    private static boolean[][] extended(SmallCells.Table t) {
        int rows = t.cells().length;
        int columns = rows == 0 ? 0 : t.cells()[0].length;
        boolean[][] h = new boolean[rows + 1][columns + 1];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(t.hidden()[r], 0, h[r], 0, columns);
            h[r][columns] = t.rowTotalHidden()[r];
        }
        System.arraycopy(t.columnTotalHidden(), 0, h[rows], 0, columns);
        h[rows][columns] = t.grandTotalHidden();
        return h;
    }

    private static List<String> positions(SmallCells.Table t) {
        return t.hiddenPositions().stream().map(p -> p[0] + "," + p[1]).toList();
    }
}
