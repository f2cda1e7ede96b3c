package org.fieldstream.producers;

import java.util.Map;
import java.util.Set;

/**
 * One record as read from a source, before validation: only the layout's own columns (extra columns
 * are dropped on read), blank values already removed.
 *
 * @param layout    the record's layout, or null when it could not be told (then {@code malformed} says why)
 * @param values    column to trimmed, non-empty value
 * @param sourceRef {@code file:line} or {@code request#row}
 * @param malformed why the row could not be read at all, or null
 * @param identity  a source-given identity of the record (a Kobo submission's root uuid), or null for the
 *                  natural key alone
 * @param identityPerKey whether the identity names a group of records told apart by their natural key
 *                  (the items of a Kobo repeat group) rather than one record
 * @param malformedField the column a malformed row's problem is in, when known
 * @param personal  values of the row that are, or may be, personal data wherever they stand: those in
 *                  a person key, name, phone or national id position, and in a row whose columns cannot
 *                  be trusted, every value that may have come from such a position; a rejection hides
 *                  them in every column and in its reason (see {@link Redaction})
 */
public record SourceRow(Layout layout, Map<String, String> values, String sourceRef, String malformed, String identity,
                        boolean identityPerKey, String malformedField, Set<String> personal) {

    public SourceRow {
        personal = personal == null ? Set.of() : personal;
    }

    /** A row without a malformed field or personal values beyond its personal columns (form exports). */
    public SourceRow(Layout layout, Map<String, String> values, String sourceRef, String malformed, String identity,
                     boolean identityPerKey) {
        this(layout, values, sourceRef, malformed, identity, identityPerKey, null, Set.of());
    }

    public static SourceRow of(Layout layout, Map<String, String> values, String sourceRef) {
        return new SourceRow(layout, values, sourceRef, null, null, false);
    }

    public static SourceRow of(Layout layout, Map<String, String> values, String sourceRef, Set<String> personal) {
        return new SourceRow(layout, values, sourceRef, null, null, false, null, personal);
    }

    public static SourceRow malformed(Layout layout, Map<String, String> values, String sourceRef, String reason) {
        return new SourceRow(layout, values, sourceRef, reason, null, false);
    }

    /** A row that could not be read cleanly; {@code field} names the column of the problem, or null. */
    public static SourceRow malformed(Layout layout, Map<String, String> values, String sourceRef, String reason,
                                      String field, Set<String> personal) {
        return new SourceRow(layout, values, sourceRef, reason, null, false, field, personal);
    }

    public String get(String column) {
        return values.get(column);
    }
}
