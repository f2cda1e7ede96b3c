package org.fieldstream.reports;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader who tries to recover the hidden cells of a published table from what it shows, written
 * apart from {@link SmallCells} (exact integer arithmetic, no shared code): total minus shown parts,
 * repeated with every cell so recovered across rows and columns; then every combination of the sums
 * at once (fraction-free elimination); then the lower bound of hidden cells once zeros are shown
 * (hidden parts adding up to their number are all 1). Each way lists the hidden cells it recovers.
 */
public final class Attacker {

    private Attacker() {
    }

    /** Every hidden cell any of the three ways recovers, as "cell N = value (how)". */
    public static List<String> recovered(SmallCells.Published p) {
        List<String> out = new ArrayList<>(bySubtraction(p));
        out.addAll(byAlgebra(p));
        out.addAll(byLowerBound(p));
        return out;
    }

    /** Total minus shown parts, repeated while it recovers cells (a recovered cell counts as shown for the next sum). */
    public static List<String> bySubtraction(SmallCells.Published p) {
        boolean[] known = new boolean[p.counts().length];
        long[] value = new long[known.length];
        for (int c = 0; c < known.length; c++) {
            known[c] = !p.isHidden(c);
            value[c] = known[c] ? Long.parseLong(p.shown(c)) : 0;
        }
        List<String> out = new ArrayList<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (SmallCells.Sum s : p.sums()) {
                List<Integer> unknown = new ArrayList<>();
                long rest = 0;
                for (int part : s.parts()) {
                    if (known[part]) {
                        rest -= value[part];
                    } else {
                        unknown.add(part);
                    }
                }
                if (known[s.total()]) {
                    rest += value[s.total()];
                } else {
                    unknown.add(s.total());
                }
                if (unknown.size() == 1) {
                    int cell = unknown.get(0);
                    long v = cell == s.total() ? -rest : rest;
                    known[cell] = true;
                    value[cell] = v;
                    out.add("cell " + cell + " = " + v + " (total minus shown)");
                    progress = true;
                }
            }
        }
        return out;
    }

    /** Every combination of the sums: a hidden cell alone in a row of the eliminated system is determined. */
    public static List<String> byAlgebra(SmallCells.Published p) {
        int n = p.counts().length;
        int[] index = new int[n];
        List<Integer> unknowns = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            index[c] = p.isHidden(c) ? unknowns.size() : -1;
            if (p.isHidden(c)) {
                unknowns.add(c);
            }
        }
        int width = unknowns.size();
        List<BigInteger[]> rows = new ArrayList<>();
        for (SmallCells.Sum s : p.sums()) {
            BigInteger[] row = new BigInteger[width + 1];
            java.util.Arrays.fill(row, BigInteger.ZERO);
            long constant = 0;
            for (int part : s.parts()) {
                if (index[part] >= 0) {
                    row[index[part]] = row[index[part]].add(BigInteger.ONE);
                } else {
                    constant -= Long.parseLong(p.shown(part));
                }
            }
            if (index[s.total()] >= 0) {
                row[index[s.total()]] = row[index[s.total()]].subtract(BigInteger.ONE);
            } else {
                constant += Long.parseLong(p.shown(s.total()));
            }
            row[width] = BigInteger.valueOf(constant);
            rows.add(row);
        }
        int pivot = 0;
        for (int col = 0; col < width && pivot < rows.size(); col++) {
            int found = -1;
            for (int r = pivot; r < rows.size() && found < 0; r++) {
                found = rows.get(r)[col].signum() != 0 ? r : -1;
            }
            if (found < 0) {
                continue;
            }
            BigInteger[] pr = rows.get(found);
            rows.set(found, rows.get(pivot));
            rows.set(pivot, pr);
            for (int r = 0; r < rows.size(); r++) {
                BigInteger[] row = rows.get(r);
                if (r != pivot && row[col].signum() != 0) {
                    BigInteger f = row[col];
                    for (int j = 0; j <= width; j++) {
                        row[j] = row[j].multiply(pr[col]).subtract(pr[j].multiply(f));
                    }
                    BigInteger g = BigInteger.ZERO;
                    for (BigInteger x : row) {
                        g = g.gcd(x);
                    }
                    if (g.signum() != 0) {
                        for (int j = 0; j <= width; j++) {
                            row[j] = row[j].divide(g);
                        }
                    }
                }
            }
            pivot++;
        }
        List<String> out = new ArrayList<>();
        for (BigInteger[] row : rows) {
            int only = -1;
            int nonZero = 0;
            for (int j = 0; j < width; j++) {
                if (row[j].signum() != 0) {
                    nonZero++;
                    only = j;
                }
            }
            if (nonZero == 1) {
                out.add("cell " + unknowns.get(only) + " = " + row[width].divide(row[only]) + " (combination of sums)");
            }
        }
        return out;
    }

    /** A sum with a shown total whose hidden parts add up to their number: each is 1 (zeros are shown, so hidden cells are at least 1). */
    public static List<String> byLowerBound(SmallCells.Published p) {
        List<String> out = new ArrayList<>();
        for (SmallCells.Sum s : p.sums()) {
            if (p.isHidden(s.total())) {
                continue;
            }
            long rest = Long.parseLong(p.shown(s.total()));
            List<Integer> hidden = new ArrayList<>();
            for (int part : s.parts()) {
                if (p.isHidden(part)) {
                    hidden.add(part);
                } else {
                    rest -= Long.parseLong(p.shown(part));
                }
            }
            if (!hidden.isEmpty() && rest == hidden.size() && hidden.stream().allMatch(c -> p.counts()[c] > 0)) {
                out.add("cells " + hidden + " = 1 each (lower bound)");
            }
        }
        return out;
    }
}
