package org.fieldstream.seeds;

import java.util.Locale;

import org.fieldstream.events.Sex;

/** Age bands and sex labels as the metric records spell them. */
final class AgeBand {

    static final String ALL = "all";

    private AgeBand() {
    }

    /** under_15, youth_15_29, adult_30_plus, or unknown when no age is known. */
    static String of(Integer age) {
        if (age == null) {
            return "unknown";
        }
        if (age < 15) {
            return "under_15";
        }
        return age <= 29 ? "youth_15_29" : "adult_30_plus";
    }

    static String sex(Sex sex) {
        return sex == null ? "unknown" : sex.name().toLowerCase(Locale.ROOT);
    }
}
