package org.fieldstream.streams;

import java.time.LocalDate;

/** Age bands of the metric definitions: age at enrolment (or at the dialogue). */
final class AgeBand {

    static final String UNDER_15 = "under_15";
    static final String YOUTH = "youth_15_29";
    static final String ADULT = "adult_30_plus";
    static final String UNKNOWN = "unknown";

    private AgeBand() {
    }

    static String of(Integer age) {
        if (age == null || age < 0) {
            return UNKNOWN;
        }
        if (age < 15) {
            return UNDER_15;
        }
        return age < 30 ? YOUTH : ADULT;
    }

    /** From a birth year the age is the year difference to the enrolment; else the recorded age. */
    static String atEnrolment(Integer age, Integer birthYear, LocalDate enrolledOn) {
        if (birthYear != null && enrolledOn != null) {
            return of(enrolledOn.getYear() - birthYear);
        }
        return of(age);
    }
}
