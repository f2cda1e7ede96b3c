package org.fieldstream.streams;

import java.util.List;

import org.fieldstream.events.Sex;

/** Sex and age band as small indexes (a group is sex x age band, 16 of them), with their row names. */
final class Groups {

    static final List<String> SEXES = List.of("female", "male", "other", "unknown");
    static final List<String> BANDS = List.of(AgeBand.UNDER_15, AgeBand.YOUTH, AgeBand.ADULT, AgeBand.UNKNOWN);
    static final int COUNT = SEXES.size() * BANDS.size();

    private Groups() {
    }

    /** Sex as recorded, unknown when not recorded. */
    static int sexIndex(Sex sex) {
        return sex == null ? Sex.UNKNOWN.ordinal() : sex.ordinal();
    }

    static int bandIndex(String band) {
        int i = BANDS.indexOf(band);
        if (i < 0) {
            throw new IllegalArgumentException("unknown age band " + band);
        }
        return i;
    }

    static int group(int sex, int band) {
        return sex * BANDS.size() + band;
    }

    static String sexOf(int group) {
        return SEXES.get(group / BANDS.size());
    }

    static String bandOf(int group) {
        return BANDS.get(group % BANDS.size());
    }
}
