package org.fieldstream.producers;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A form submission is the unit of revision: every record a mapping derives from one submission (its
 * repeat items, the choices of an {@code each} column) is tied to it, and a later version of the
 * submission supersedes the whole set, so a record the later version no longer gives is retracted.
 *
 * <p>The tie travels in the event's {@code source_ref}, which the event id leaves out: a form record's
 * ref ends with {@code  [submission <key>]}, the key being the first 128 bits (hex) of SHA-256 over
 * program, partner, layout and the tool's record id (Kobo {@code _id}, Central {@code __id}), so the
 * records of one submission in one layout share it, and a partner's records of another layout or
 * another submission never do. No Avro field, table column or streams change is needed, and an export
 * ingested again gives the same event ids as before.
 */
public final class Submissions {

    /** The reason carried by the retraction of a record its submission's latest version no longer gives. */
    public static final String REASON = "not in the latest version of its submission";

    private static final Pattern TAG = Pattern.compile(" \\[submission ([0-9a-f]{32})]$");
    private static final Pattern ITEM = Pattern.compile("(#\\d+)?(/\\d+)?$");

    private Submissions() {
    }

    /** One version of a submission as it reaches a layout: its key and revision. */
    public record Version(String key, int revision) {
    }

    /**
     * A record tied to a submission, as the events topic holds it: its top revision, and whether that
     * revision is a retraction.
     */
    public record Tied(String rootId, String aggregateId, String orgUnitId, int revision, boolean retracted) {
    }

    /** {@code ref} with the submission's tag. */
    public static String tag(String ref, String key) {
        return ref + " [submission " + key + "]";
    }

    /** The submission key a source ref is tagged with, or null. */
    public static String key(String sourceRef) {
        if (sourceRef == null || !sourceRef.endsWith("]")) {
            return null;
        }
        Matcher m = TAG.matcher(sourceRef);
        return m.find() ? m.group(1) : null;
    }

    /** {@code sourceRef} without its submission tag. */
    public static String untagged(String sourceRef) {
        return sourceRef == null ? null : TAG.matcher(sourceRef).replaceFirst("");
    }

    /** A form row's ref without its repeat item and choice: {@code <file>:<instanceID>}. */
    public static String submissionRef(String rowRef) {
        return ITEM.matcher(rowRef).replaceFirst("");
    }
}
