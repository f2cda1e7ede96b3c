package org.fieldstream.producers.forms;

import java.time.Instant;

/**
 * Revisions of form submissions. A revision must grow with every edit of a submission and be the same
 * on every export of the same version, whatever order the exports are ingested in; the links inside one
 * export cannot give that (a tool exports only the newest version of a submission, so an export holding
 * the second edit does not show the first).
 *
 * <ul>
 * <li>An original (never edited) submission is revision 1.</li>
 * <li>ODK Central counts the edits of a submission ({@code __system/edits}, the CSV's {@code Edits}):
 *   revision = 1 + edits.</li>
 * <li>KoboToolbox keeps no count and no edit time of its own ({@code _submission_time} stays the
 *   original's), but its editor, Enketo, renews the form's {@code end} timestamp on every save: an edit's
 *   revision is the whole seconds from {@value #EPOCH} to that time. Seconds since 2000 fit a positive int
 *   until 2068 (Unix seconds would end in 2038) and are far above the 1 of any original.</li>
 * </ul>
 */
public final class Revisions {

    public static final String EPOCH = "2000-01-01T00:00:00Z";

    private static final long EPOCH_SECONDS = Instant.parse(EPOCH).getEpochSecond();

    private Revisions() {
    }

    /** ODK Central: 1 + the number of edits. */
    public static int ofEdits(int edits) {
        if (edits < 0 || edits == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("edits out of range: " + edits);
        }
        return edits + 1;
    }

    /** Kobo: an edit's revision from its edit time, or -1 when the time is before 2000 or after 2068. */
    public static int ofEditTime(Instant editedAt) {
        long seconds = editedAt.getEpochSecond() - EPOCH_SECONDS;
        return seconds < 2 || seconds > Integer.MAX_VALUE ? -1 : (int) seconds;
    }
}
