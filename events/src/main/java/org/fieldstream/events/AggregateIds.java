package org.fieldstream.events;

import java.util.regex.Pattern;

/**
 * The identity of a cohort or dialogue: {@code <program>/<partner>/<id>}, where {@code id} is the
 * partner's own cohort or dialogue id. It is the events' Kafka key and {@code aggregate_id}.
 *
 * <p>Namespacing by program and partner is what keeps partners apart: a row can only name an
 * aggregate of the program and partner it was sent for, so no path (HTTP, file, form export, replay,
 * a restarted process, a registry that forgot) lets one partner's rows enter another's cohort, and
 * two partners that happen to use the same cohort id have two cohorts. Program and partner ids
 * match {@link #OWNER_ID}, so they never contain the separator and the parts cannot shift.
 */
public final class AggregateIds {

    /** Program and partner ids: ASCII letters, digits, '.', '-' and '_', starting with a letter or digit. */
    public static final Pattern OWNER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private AggregateIds() {
    }

    public static String of(String programId, String partnerId, String localId) {
        requireOwnerId("program", programId);
        requireOwnerId("partner", partnerId);
        return programId + '/' + partnerId + '/' + localId;
    }

    public static void requireOwnerId(String what, String id) {
        if (id == null || !OWNER_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " id " + (id == null ? "null" : "'" + id + "'")
                    + " must match " + OWNER_ID.pattern());
        }
    }
}
