package org.fieldstream.producers;

import java.util.Map;

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
 */
public record SourceRow(Layout layout, Map<String, String> values, String sourceRef, String malformed, String identity,
                        boolean identityPerKey) {

    public static SourceRow of(Layout layout, Map<String, String> values, String sourceRef) {
        return new SourceRow(layout, values, sourceRef, null, null, false);
    }

    public static SourceRow malformed(Layout layout, Map<String, String> values, String sourceRef, String reason) {
        return new SourceRow(layout, values, sourceRef, reason, null, false);
    }

    public String get(String column) {
        return values.get(column);
    }
}
