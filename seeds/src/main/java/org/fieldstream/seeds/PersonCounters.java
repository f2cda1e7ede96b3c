package org.fieldstream.seeds;

import java.util.HashMap;
import java.util.Map;

/** How many persons of each partner and kind exist so far; the only per-person state the generator keeps. */
final class PersonCounters {

    private final Map<String, Integer> counts = new HashMap<>();

    int count(String prefix, People.Kind kind) {
        return counts.getOrDefault(prefix + kind, 0);
    }

    /** Index of a new person. */
    int next(String prefix, People.Kind kind) {
        return counts.merge(prefix + kind, 1, Integer::sum) - 1;
    }
}
