package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Small-cell suppression of published counts (the {@code viewer} role, exports meant for
 * publication): a count of 1 to {@code k - 1} people is shown as {@code <k} and can never be worked
 * out from what a table shows. A table is a set of counts and the sums it shows ({@link Cells}: a
 * total cell equals the sum of its part cells, at any depth: a program's figure over its partners,
 * a partner's over sex, sex over age band).
 *
 * <p>Primary suppression hides every count from 1 to k - 1. Zero is not small: a true 0 describes
 * nobody, and hiding zeros would blank most disaggregations (no under-15s in an adult program) while
 * protecting no one. Complementary suppression then hides, for each hidden cell a reader could
 * recover, another cell of a sum holding it (the smallest shown non-zero part first, totals last),
 * until no hidden cell follows from the shown ones: not by one sum (total minus shown parts), not by
 * any combination of sums (the sums are linear equations; a hidden cell is recoverable exactly when
 * its unit vector lies in their span over the hidden cells), and not by the lower bound every hidden
 * cell has once zeros are shown (hidden parts summing to their number are all 1). Every hidden cell
 * is shown the same, so a reader cannot tell a small count from a complementary one. Pure: nothing is
 * read or written.
 */
public final class SmallCells {

    public static final int DEFAULT_K = 5;

    private static final double EPSILON = 1e-9;

    private SmallCells() {
    }

    /** The text of every hidden cell at threshold {@code k}. */
    public static String marker(int k) {
        return "<" + k;
    }

    /** The line a published table says once: which numbers are hidden and why. */
    public static String note(int k) {
        return "Published figures: counts of 1 to " + (k - 1) + " people are shown as " + marker(k) + ", and so are other counts"
                + " of the same rows and columns, so that no hidden count can be worked out from the totals; a rate is hidden"
                + " when its numerator or denominator is. Zeros are shown. This protects people in small groups from being"
                + " recognised.";
    }

    /** A rate is published only when both its numerator and denominator are. */
    public static boolean rateShown(boolean numeratorHidden, boolean denominatorHidden) {
        return !numeratorHidden && !denominatorHidden;
    }

    /** One shown sum: the cell {@code total} equals the sum of the cells {@code parts}. */
    public record Sum(int total, List<Integer> parts) {
        public Sum {
            parts = List.copyOf(parts);
        }
    }

    /**
     * A table of counts to publish and its sums. A cell added with a key is one figure wherever it is
     * shown: adding the key again returns the same cell (the same figure in two tables is hidden in
     * both or in neither). A cell added {@link #notShown} is part of a sum but not of the table (the
     * rest of a total whose other parts are shown): always hidden, and protected when it is small.
     */
    public static final class Cells {
        private final List<Long> counts = new ArrayList<>();
        private final List<Boolean> forced = new ArrayList<>();
        private final List<Boolean> absent = new ArrayList<>();
        private final List<Boolean> known = new ArrayList<>();
        private final List<Sum> sums = new ArrayList<>();
        private final Map<String, Integer> byKey = new HashMap<>();

        /** A shown count; hidden when it is from 1 to k - 1. */
        public int add(long count) {
            return add(count, false, false);
        }

        /** The shown count of {@code key}; the same cell when the key was added before. */
        public int add(String key, long count) {
            Integer known = byKey.get(key);
            if (known != null) {
                if (counts.get(known) != count) {
                    throw new IllegalArgumentException("cell " + key + " is " + counts.get(known) + " and " + count);
                }
                return known;
            }
            int id = add(count);
            byKey.put(key, id);
            return id;
        }

        /** A shown figure hidden whatever its value (it describes the people of a hidden count). */
        public int addHidden(long count) {
            return add(count, true, false);
        }

        /**
         * A count another table publishes (so the reader knows it): never chosen as a complementary
         * cell, and hidden only when it is itself small.
         */
        public int addKnown(long count) {
            int id = add(count, false, false);
            known.set(id, true);
            return id;
        }

        /** A part of a sum that the table does not show. */
        public int notShown(long count) {
            return add(count, true, true);
        }

        private int add(long count, boolean hide, boolean notShown) {
            if (count < 0) {
                throw new IllegalArgumentException("cell " + counts.size() + " is a negative count: " + count);
            }
            counts.add(count);
            forced.add(hide);
            absent.add(notShown);
            known.add(false);
            return counts.size() - 1;
        }

        /** The cell {@code total} is shown as the sum of {@code parts}; refused when the counts do not add up. */
        public Cells sum(int total, List<Integer> parts) {
            long sum = 0;
            for (int p : parts) {
                sum += counts.get(p);
            }
            if (sum != counts.get(total)) {
                throw new IllegalArgumentException("cell " + total + " is " + counts.get(total) + " but its parts " + parts + " add up to " + sum);
            }
            sums.add(new Sum(total, parts));
            return this;
        }

        /** True when the parts' counts add up to the total's (a sum a reader could use). */
        public boolean addsUp(int total, List<Integer> parts) {
            return parts.stream().mapToLong(counts::get).sum() == counts.get(total);
        }

        public int size() {
            return counts.size();
        }

        public long count(int cell) {
            return counts.get(cell);
        }

        public List<Sum> sums() {
            return List.copyOf(sums);
        }

        /** The cells published at threshold {@code k}. */
        public Published suppress(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("the small-cell threshold k is at least 1, got " + k);
            }
            return new Suppression(this, k).run();
        }
    }

    /** Which cells of a {@link Cells} table are hidden at {@code k}; cells not shown are hidden too. */
    public record Published(long[] counts, boolean[] hidden, List<Sum> sums, int k) {

        public boolean isHidden(int cell) {
            return hidden[cell];
        }

        /** A cell as published: its count, or the marker. */
        public String shown(int cell) {
            return hidden[cell] ? marker(k) : Long.toString(counts[cell]);
        }

        public int hiddenCount() {
            int n = 0;
            for (boolean h : hidden) {
                n += h ? 1 : 0;
            }
            return n;
        }
    }

    /** One run of primary and complementary suppression. */
    private static final class Suppression {
        private final long[] counts;
        private final boolean[] hidden;
        private final boolean[] protect;
        private final boolean[] absent;
        private final boolean[] known;
        private final List<Sum> sums;
        private final List<List<Integer>> sumsOf;
        private final int[] rank;
        private final int k;

        Suppression(Cells cells, int k) {
            int n = cells.size();
            this.k = k;
            this.counts = new long[n];
            this.hidden = new boolean[n];
            this.protect = new boolean[n];
            this.absent = new boolean[n];
            this.known = new boolean[n];
            this.sums = cells.sums();
            this.rank = new int[n];
            this.sumsOf = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                counts[i] = cells.count(i);
                boolean small = counts[i] > 0 && counts[i] < k;
                absent[i] = cells.absent.get(i);
                known[i] = cells.known.get(i);
                hidden[i] = small || cells.forced.get(i);
                protect[i] = small || (cells.forced.get(i) && !absent[i]);
                sumsOf.add(new ArrayList<>());
            }
            for (int s = 0; s < sums.size(); s++) {
                rank[sums.get(s).total()]++;
                for (int cell : members(sums.get(s))) {
                    sumsOf.get(cell).add(s);
                }
            }
        }

        Published run() {
            while (true) {
                int[] found = aloneInASum();
                if (found == null) {
                    found = allOnes();
                }
                if (found == null) {
                    int cell = firstRecoverable();
                    found = cell < 0 ? null : new int[] {cell, -1};
                }
                if (found == null) {
                    break;
                }
                int next = complement(found[0], found[1]);
                hidden[next] = true;
                protect[next] = true;
            }
            return new Published(counts.clone(), hidden.clone(), sums, k);
        }

        private static List<Integer> members(Sum s) {
            List<Integer> m = new ArrayList<>(s.parts());
            m.add(s.total());
            return m;
        }

        /** A protected cell that is the only hidden one of a sum, and that sum; null when none is. */
        private int[] aloneInASum() {
            for (int s = 0; s < sums.size(); s++) {
                int only = -1;
                int hiddenMembers = 0;
                for (int cell : members(sums.get(s))) {
                    if (hidden[cell]) {
                        hiddenMembers++;
                        only = cell;
                    }
                }
                if (hiddenMembers == 1 && protect[only]) {
                    return new int[] {only, s};
                }
            }
            return null;
        }

        /** A sum with a shown total whose hidden parts add up to their number (each at least 1: all are 1); null when none has. */
        private int[] allOnes() {
            for (int s = 0; s < sums.size(); s++) {
                Sum sum = sums.get(s);
                if (hidden[sum.total()]) {
                    continue;
                }
                long rest = counts[sum.total()];
                int hiddenParts = 0;
                int first = -1;
                for (int p : sum.parts()) {
                    if (hidden[p]) {
                        hiddenParts++;
                        first = first < 0 && protect[p] ? p : first;
                    } else {
                        rest -= counts[p];
                    }
                }
                if (hiddenParts > 0 && first >= 0 && rest == hiddenParts) {
                    return new int[] {first, s};
                }
            }
            return null;
        }

        /**
         * The cell to hide for the recoverable {@code cell}: a shown cell of {@code sum} (of any sum
         * holding the cell when -1, else of any sum), the best by {@link #order}.
         */
        private int complement(int cell, int sum) {
            List<Integer> candidates = new ArrayList<>();
            for (int s : sum >= 0 ? List.of(sum) : sumsOf.get(cell)) {
                members(sums.get(s)).stream().filter(c -> !hidden[c] && !known[c]).forEach(candidates::add);
            }
            if (candidates.isEmpty()) {
                for (int c = 0; c < counts.length; c++) {
                    if (!hidden[c] && !known[c] && !sumsOf.get(c).isEmpty()) {
                        candidates.add(c);
                    }
                }
            }
            if (candidates.isEmpty()) {
                throw new IllegalStateException("cell " + cell + " is recoverable and every other cell is hidden or published elsewhere");
            }
            return candidates.stream().min(order()).orElseThrow();
        }

        /** Non-zero counts first (a hidden zero protects little), then parts before totals, then the smaller count. */
        private Comparator<Integer> order() {
            return Comparator.<Integer>comparingInt(c -> counts[c] == 0 ? 1 : 0)
                    .thenComparingInt(c -> rank[c])
                    .thenComparingLong(c -> counts[c])
                    .thenComparingInt(c -> c);
        }

        /**
         * The first protected hidden cell that the shown cells and the sums determine, or -1. The sums
         * over the hidden cells in reduced row echelon form: a cell is determined exactly when its
         * column is a pivot whose row has no other non-zero entry.
         */
        private int firstRecoverable() {
            int[] index = new int[counts.length];
            List<Integer> unknowns = new ArrayList<>();
            for (int c = 0; c < counts.length; c++) {
                index[c] = -1;
                if (hidden[c]) {
                    index[c] = unknowns.size();
                    unknowns.add(c);
                }
            }
            if (unknowns.isEmpty()) {
                return -1;
            }
            List<double[]> equations = new ArrayList<>();
            for (Sum s : sums) {
                double[] e = new double[unknowns.size()];
                boolean any = false;
                for (int p : s.parts()) {
                    if (index[p] >= 0) {
                        e[index[p]] += 1;
                        any = true;
                    }
                }
                if (index[s.total()] >= 0) {
                    e[index[s.total()]] -= 1;
                    any = true;
                }
                if (any) {
                    equations.add(e);
                }
            }
            int width = unknowns.size();
            List<double[]> reduced = echelon(equations, width);
            for (double[] row : reduced) {
                int lead = -1;
                int nonZero = 0;
                for (int j = 0; j < width; j++) {
                    if (Math.abs(row[j]) > EPSILON) {
                        nonZero++;
                        lead = lead < 0 ? j : lead;
                    }
                }
                if (nonZero == 1 && protect[unknowns.get(lead)]) {
                    return unknowns.get(lead);
                }
            }
            return -1;
        }

        /** Reduced row echelon form, the largest pivot first (coefficients start at 0 and ±1). */
        private static List<double[]> echelon(List<double[]> m, int width) {
            int pivotRow = 0;
            for (int col = 0; col < width && pivotRow < m.size(); col++) {
                int found = -1;
                double best = EPSILON;
                for (int r = pivotRow; r < m.size(); r++) {
                    if (Math.abs(m.get(r)[col]) > best) {
                        best = Math.abs(m.get(r)[col]);
                        found = r;
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
                    double[] row = m.get(r);
                    if (r != pivotRow && Math.abs(row[col]) > EPSILON) {
                        double f = row[col];
                        for (int j = 0; j < width; j++) {
                            row[j] -= f * pivot[j];
                        }
                    }
                }
                pivotRow++;
            }
            return m.subList(0, pivotRow);
        }
    }

    /**
     * A two-way table published with its margins: {@code rowTotals[r]} the sum of row r,
     * {@code columnTotals[c]} the sum of column c, {@code grandTotal} the sum of all (partner × sex,
     * sex × age band).
     */
    public record Table(long[][] cells, long[] rowTotals, long[] columnTotals, long grandTotal,
                        boolean[][] hidden, boolean[] rowTotalHidden, boolean[] columnTotalHidden, boolean grandTotalHidden, int k) {

        /** A cell as published: its count, or {@code <k}. */
        public String shown(int row, int column) {
            return hidden[row][column] ? marker(k) : Long.toString(cells[row][column]);
        }

        public String shownRowTotal(int row) {
            return rowTotalHidden[row] ? marker(k) : Long.toString(rowTotals[row]);
        }

        public String shownColumnTotal(int column) {
            return columnTotalHidden[column] ? marker(k) : Long.toString(columnTotals[column]);
        }

        public String shownGrandTotal() {
            return grandTotalHidden ? marker(k) : Long.toString(grandTotal);
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

    /** The table of {@code cells} (rows x columns of counts, all rows equally long) with its margins, suppressed at {@code k}. */
    public static Table suppress(long[][] cells, int k) {
        int rows = cells.length;
        int columns = rows == 0 ? 0 : cells[0].length;
        Cells table = new Cells();
        int[][] id = new int[rows][columns];
        long[] rowTotals = new long[rows];
        long[] columnTotals = new long[columns];
        long grand = 0;
        for (int r = 0; r < rows; r++) {
            if (cells[r].length != columns) {
                throw new IllegalArgumentException("row " + r + " has " + cells[r].length + " cells, row 0 has " + columns);
            }
            for (int c = 0; c < columns; c++) {
                if (cells[r][c] < 0) {
                    throw new IllegalArgumentException("cell (" + r + ", " + c + ") is a negative count: " + cells[r][c]);
                }
                id[r][c] = table.add(cells[r][c]);
                rowTotals[r] += cells[r][c];
                columnTotals[c] += cells[r][c];
                grand += cells[r][c];
            }
        }
        int[] rowId = new int[rows];
        int[] columnId = new int[columns];
        for (int r = 0; r < rows; r++) {
            rowId[r] = table.add(rowTotals[r]);
            List<Integer> parts = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                parts.add(id[r][c]);
            }
            table.sum(rowId[r], parts);
        }
        for (int c = 0; c < columns; c++) {
            columnId[c] = table.add(columnTotals[c]);
            List<Integer> parts = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                parts.add(id[r][c]);
            }
            table.sum(columnId[c], parts);
        }
        int grandId = table.add(grand);
        table.sum(grandId, java.util.Arrays.stream(rowId).boxed().toList());
        table.sum(grandId, java.util.Arrays.stream(columnId).boxed().toList());
        Published p = table.suppress(k);
        boolean[][] hidden = new boolean[rows][columns];
        boolean[] rowHidden = new boolean[rows];
        boolean[] columnHidden = new boolean[columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                hidden[r][c] = p.isHidden(id[r][c]);
            }
            rowHidden[r] = p.isHidden(rowId[r]);
        }
        for (int c = 0; c < columns; c++) {
            columnHidden[c] = p.isHidden(columnId[c]);
        }
        long[][] copy = new long[rows][];
        for (int r = 0; r < rows; r++) {
            copy[r] = cells[r].clone();
        }
        return new Table(copy, rowTotals, columnTotals, grand, hidden, rowHidden, columnHidden, p.isHidden(grandId), k);
    }
}
