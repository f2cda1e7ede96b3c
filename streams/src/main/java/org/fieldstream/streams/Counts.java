package org.fieldstream.streams;

import java.util.Arrays;

/**
 * A small multiset of ints: sorted keys, each with a positive count (a key whose count falls to zero
 * is removed). Used for presences per session, session dates per session number, last-present
 * sessions and as_of days; all hold a few dozen keys at most, so sorted arrays beat maps.
 */
final class Counts {

    private int[] keys;
    private int[] counts;
    private int size;

    Counts() {
        this(4);
    }

    private Counts(int capacity) {
        keys = new int[capacity];
        counts = new int[capacity];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int keyAt(int i) {
        return keys[i];
    }

    int countAt(int i) {
        return counts[i];
    }

    int get(int key) {
        int i = Arrays.binarySearch(keys, 0, size, key);
        return i >= 0 ? counts[i] : 0;
    }

    /** The smallest key; only when not empty. */
    int min() {
        return keys[0];
    }

    /** The greatest key; only when not empty. */
    int max() {
        return keys[size - 1];
    }

    /** Adds {@code delta} to the count of {@code key}; a count may never fall below zero. */
    void add(int key, int delta) {
        add(key, delta, false);
    }

    /** As {@link #add(int, int)} for a multiset of changes, whose counts may be negative. */
    void addSigned(int key, int delta) {
        add(key, delta, true);
    }

    private void add(int key, int delta, boolean signed) {
        if (delta == 0) {
            return;
        }
        int i = Arrays.binarySearch(keys, 0, size, key);
        if (i >= 0) {
            int now = counts[i] + delta;
            if (now < 0 && !signed) {
                throw new IllegalStateException("count of " + key + " below zero");
            }
            if (now == 0) {
                System.arraycopy(keys, i + 1, keys, i, size - i - 1);
                System.arraycopy(counts, i + 1, counts, i, size - i - 1);
                size--;
            } else {
                counts[i] = now;
            }
            return;
        }
        if (delta < 0 && !signed) {
            throw new IllegalStateException("count of " + key + " below zero");
        }
        int at = -i - 1;
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2 + 1);
            counts = Arrays.copyOf(counts, size * 2 + 1);
        }
        System.arraycopy(keys, at, keys, at + 1, size - at);
        System.arraycopy(counts, at, counts, at + 1, size - at);
        keys[at] = key;
        counts[at] = delta;
        size++;
    }

    /** Adds every count of {@code other}, which may be negative (a delta); a count may never fall below zero. */
    void addAll(Counts other) {
        addAll(other, false);
    }

    /** As {@link #addAll(Counts)} for a multiset of changes, whose counts may be negative. */
    void addAllSigned(Counts other) {
        addAll(other, true);
    }

    private void addAll(Counts other, boolean signed) {
        for (int i = 0; i < other.size; i++) {
            add(other.keys[i], other.counts[i], signed);
        }
    }

    /** Sum of the counts of keys at or above {@code key}. */
    int sumFrom(int key) {
        int i = Arrays.binarySearch(keys, 0, size, key);
        int sum = 0;
        for (int j = i >= 0 ? i : -i - 1; j < size; j++) {
            sum += counts[j];
        }
        return sum;
    }

    void writeTo(Compact.Writer out) {
        out.writeInt(size);
        int previous = 0;
        for (int i = 0; i < size; i++) {
            out.writeInt(keys[i] - previous); // ascending keys: small gaps
            out.writeInt(counts[i]);
            previous = keys[i];
        }
    }

    static Counts read(Compact.Reader in) {
        int n = in.readInt();
        Counts c = new Counts(Math.max(1, n));
        int key = 0;
        for (int i = 0; i < n; i++) {
            key += in.readInt();
            c.keys[i] = key;
            c.counts[i] = in.readInt();
        }
        c.size = n;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Counts other) || other.size != size) {
            return false;
        }
        return Arrays.equals(keys, 0, size, other.keys, 0, size) && Arrays.equals(counts, 0, size, other.counts, 0, size);
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++) {
            h = 31 * h + keys[i] * 17 + counts[i];
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append(keys[i]).append('=').append(counts[i]);
        }
        return sb.append('}').toString();
    }
}
