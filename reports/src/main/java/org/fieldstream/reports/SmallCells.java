package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Small-cell suppression of a published count table (the {@code viewer} role, exports meant for
 * publication): the interior cells, each row's total, each column's total and the grand total are
 * published together, and a count below {@code k} is shown as {@code <k}. Primary suppression hides
 * those counts; complementary suppression then hides further cells, the smallest shown cell (interior
 * cells before totals) of a row or column of a hidden cell that could be recovered, until no hidden cell follows from the
 * shown ones by any combination of the table's sums (rows, columns and totals are linear equations;
 * a hidden cell is recoverable exactly when its unit vector lies in the span of those equations over
 * the hidden cells). Zero is a count below k too. Pure: nothing is read or written.
 */
public final class SmallCells {

    public static final int DEFAULT_K = 5;

    private SmallCells() {
    }

    /**
     * Which cells a table shows. Margins: {@code rowTotals[r]} the sum of row r, {@code columnTotals[c]}
     * the sum of column c, {@code grandTotal} the sum of all.
     */
    public record Table(long[][] cells, long[] rowTotals, long[] columnTotals, long grandTotal,
                        boolean[][] hidden, boolean[] rowTotalHidden, boolean[] columnTotalHidden, boolean grandTotalHidden, int k) {

        /** A cell as published: its count, or {@code <k}. */
        public String shown(int row, int column) {
            return hidden[row][column] ? "<" + k : Long.toString(cells[row][column]);
        }

        public String shownRowTotal(int row) {
            return rowTotalHidden[row] ? "<" + k : Long.toString(rowTotals[row]);
        }

        public String shownColumnTotal(int column) {
            return columnTotalHidden[column] ? "<" + k : Long.toString(columnTotals[column]);
        }

        public String shownGrandTotal() {
            return grandTotalHidden ? "<" + k : Long.toString(grandTotal);
        }

        /** Every hidden position as (row, column), margins as row or column {@code -1} (the grand total: -1, -1). */
        public List<int[]> hiddenPositions() {
            List<int[]> out = new ArrayList<>();
            for (int r = 0; r < hidden.length; r++) {
                for (int c = 0; c < hidden[r].length; c++) {
                    if (hidden[r][c]) {
                        out.add(new int[] {r, c});
                    }
                }
                if (rowTotalHidden[r]) {
                    out.add(new int[] {r, -1});
                }
            }
            for (int c = 0; c < columnTotalHidden.length; c++) {
                if (columnTotalHidden[c]) {
                    out.add(new int[] {-1, c});
                }
            }
            if (grandTotalHidden) {
                out.add(new int[] {-1, -1});
            }
            return out;
        }
    }

    /** A rate is published only when both its numerator and denominator are. */
    public static boolean rateShown(boolean numeratorHidden, boolean denominatorHidden) {
        return !numeratorHidden && !denominatorHidden;
    }

    /** The table of {@code cells} (rows x columns of counts, all rows equally long) with its margins, suppressed at {@code k}. */
    public static Table suppress(long[][] cells, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("the small-cell threshold k is at least 1, got " + k);
        }
        int rows = cells.length;
        int columns = rows == 0 ? 0 : cells[0].length;
        // the extended grid: (rows + 1) x (columns + 1); the last row and column are the totals
        long[][] grid = new long[rows + 1][columns + 1];
        for (int r = 0; r < rows; r++) {
            if (cells[r].length != columns) {
                throw new IllegalArgumentException("row " + r + " has " + cells[r].length + " cells, row 0 has " + columns);
            }
            for (int c = 0; c < columns; c++) {
                if (cells[r][c] < 0) {
                    throw new IllegalArgumentException("cell (" + r + ", " + c + ") is a negative count: " + cells[r][c]);
                }
                grid[r][c] = cells[r][c];
                grid[r][columns] += cells[r][c];
                grid[rows][c] += cells[r][c];
                grid[rows][columns] += cells[r][c];
            }
        }
        boolean[][] hidden = new boolean[rows + 1][columns + 1];
        for (int r = 0; r <= rows; r++) {
            for (int c = 0; c <= columns; c++) {
                hidden[r][c] = grid[r][c] < k;
            }
        }
        int[] recoverable;
        while ((recoverable = aloneInALine(hidden, rows, columns)) != null
                || (recoverable = firstRecoverable(hidden, rows, columns)) != null) {
            int[] next = smallestShownBeside(grid, hidden, recoverable[0], recoverable[1], rows, columns);
            hidden[next[0]][next[1]] = true;
        }
        long[][] interior = new long[rows][];
        boolean[][] interiorHidden = new boolean[rows][];
        long[] rowTotals = new long[rows];
        boolean[] rowTotalHidden = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            interior[r] = Arrays.copyOf(grid[r], columns);
            interiorHidden[r] = Arrays.copyOf(hidden[r], columns);
            rowTotals[r] = grid[r][columns];
            rowTotalHidden[r] = hidden[r][columns];
        }
        return new Table(interior, rowTotals, Arrays.copyOf(grid[rows], columns), grid[rows][columns], interiorHidden,
                rowTotalHidden, Arrays.copyOf(hidden[rows], columns), hidden[rows][columns], k);
    }

    /**
     * The cell to hide next for a recoverable hidden cell (r, c): in its row if it is the row's only
     * hidden cell, else in its column if it is the column's only one, else in either; an interior cell
     * before a total, the grand total last, the smallest count first. When the row and column are all
     * hidden (then (r, c) is not recoverable), any shown cell.
     */
    private static int[] smallestShownBeside(long[][] grid, boolean[][] hidden, int r, int c, int rows, int columns) {
        int inRow = 0;
        int inColumn = 0;
        for (int j = 0; j <= columns; j++) {
            inRow += hidden[r][j] ? 1 : 0;
        }
        for (int i = 0; i <= rows; i++) {
            inColumn += hidden[i][c] ? 1 : 0;
        }
        boolean useRow = inRow == 1 || inColumn != 1;
        boolean useColumn = inRow != 1;
        int[] best = null;
        if (useColumn) {
            for (int i = 0; i <= rows; i++) {
                best = better(grid, hidden, best, i, c, rows, columns);
            }
        }
        if (useRow) {
            for (int j = 0; j <= columns; j++) {
                best = better(grid, hidden, best, r, j, rows, columns);
            }
        }
        for (int i = 0; i <= rows && best == null; i++) {
            for (int j = 0; j <= columns && best == null; j++) {
                if (!hidden[i][j]) {
                    best = new int[] {i, j};
                }
            }
        }
        return best;
    }

    /** Interior cells before totals, totals before the grand total, then the smaller count. */
    private static int[] better(long[][] grid, boolean[][] hidden, int[] best, int r, int c, int rows, int columns) {
        if (hidden[r][c]) {
            return best;
        }
        if (best == null) {
            return new int[] {r, c};
        }
        int rank = (r == rows ? 1 : 0) + (c == columns ? 1 : 0);
        int bestRank = (best[0] == rows ? 1 : 0) + (best[1] == columns ? 1 : 0);
        if (rank != bestRank) {
            return rank < bestRank ? new int[] {r, c} : best;
        }
        return grid[r][c] < grid[best[0]][best[1]] ? new int[] {r, c} : best;
    }

    /** A hidden cell that is the only hidden one of its row or column (total minus shown gives it); null when none is. */
    private static int[] aloneInALine(boolean[][] hidden, int rows, int columns) {
        for (int r = 0; r <= rows; r++) {
            for (int c = 0; c <= columns; c++) {
                if (hidden[r][c]) {
                    int inRow = 0;
                    int inColumn = 0;
                    for (int j = 0; j <= columns; j++) {
                        inRow += hidden[r][j] ? 1 : 0;
                    }
                    for (int i = 0; i <= rows; i++) {
                        inColumn += hidden[i][c] ? 1 : 0;
                    }
                    if (inRow == 1 || inColumn == 1) {
                        return new int[] {r, c};
                    }
                }
            }
        }
        return null;
    }

    /** The first hidden cell (in reading order) that the shown cells and the table's sums determine; null when none is. */
    static int[] firstRecoverable(boolean[][] hidden, int rows, int columns) {
        List<int[]> unknowns = new ArrayList<>();
        int[][] index = new int[rows + 1][columns + 1];
        for (int r = 0; r <= rows; r++) {
            for (int c = 0; c <= columns; c++) {
                index[r][c] = -1;
                if (hidden[r][c]) {
                    index[r][c] = unknowns.size();
                    unknowns.add(new int[] {r, c});
                }
            }
        }
        if (unknowns.isEmpty()) {
            return null;
        }
        // equations: each row (cells - total = 0), each column, over the hidden cells only
        List<double[]> equations = new ArrayList<>();
        for (int r = 0; r <= rows; r++) {
            double[] e = new double[unknowns.size()];
            for (int c = 0; c <= columns; c++) {
                if (index[r][c] >= 0) {
                    e[index[r][c]] = c == columns ? -1 : 1;
                }
            }
            equations.add(e);
        }
        for (int c = 0; c <= columns; c++) {
            double[] e = new double[unknowns.size()];
            for (int r = 0; r <= rows; r++) {
                if (index[r][c] >= 0) {
                    e[index[r][c]] = r == rows ? -1 : 1;
                }
            }
            equations.add(e);
        }
        List<double[]> basis = echelon(equations);
        for (int u = 0; u < unknowns.size(); u++) {
            if (inSpan(basis, u, unknowns.size())) {
                return unknowns.get(u);
            }
        }
        return null;
    }

    /** Reduced row echelon form of the equations (coefficients 0 and ±1, so doubles stay exact enough). */
    private static List<double[]> echelon(List<double[]> equations) {
        List<double[]> m = new ArrayList<>();
        for (double[] e : equations) {
            m.add(e.clone());
        }
        int width = m.isEmpty() ? 0 : m.get(0).length;
        int pivotRow = 0;
        for (int col = 0; col < width && pivotRow < m.size(); col++) {
            int found = -1;
            for (int r = pivotRow; r < m.size(); r++) {
                if (Math.abs(m.get(r)[col]) > 1e-9) {
                    found = r;
                    break;
                }
            }
            if (found < 0) {
                continue;
            }
            double[] pivot = m.get(found);
            m.set(found, m.get(pivotRow));
            m.set(pivotRow, pivot);
            double p = pivot[col];
            for (int j = 0; j < width; j++) {
                pivot[j] /= p;
            }
            for (int r = 0; r < m.size(); r++) {
                if (r != pivotRow && Math.abs(m.get(r)[col]) > 1e-9) {
                    double f = m.get(r)[col];
                    for (int j = 0; j < width; j++) {
                        m.get(r)[j] -= f * pivot[j];
                    }
                }
            }
            pivotRow++;
        }
        return m.subList(0, pivotRow);
    }

    /** True when the unit vector of unknown {@code u} is a combination of the (reduced) equations. */
    private static boolean inSpan(List<double[]> reduced, int u, int width) {
        double[] v = new double[width];
        v[u] = 1;
        for (double[] row : reduced) {
            int lead = 0;
            while (lead < width && Math.abs(row[lead]) < 1e-9) {
                lead++;
            }
            if (lead < width && Math.abs(v[lead]) > 1e-9) {
                double f = v[lead];
                for (int j = 0; j < width; j++) {
                    v[j] -= f * row[j];
                }
            }
        }
        for (double x : v) {
            if (Math.abs(x) > 1e-9) {
                return false;
            }
        }
        return true;
    }
}
