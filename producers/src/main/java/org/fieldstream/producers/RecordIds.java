package org.fieldstream.producers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic identities. {@code root_id} names a logical record across its corrections: the first
 * 128 bits of SHA-256 over program, partner, layout and natural key, in hex. {@code event_id} names one
 * revision of it as sent through one source: SHA-256 over source, partner, root id and revision. The
 * parts are joined with a unit separator (U+001F), which no partner value contains after trimming,
 * so ("a b", "c") and ("a", "b c") cannot collide. Ingesting the same file twice gives the same ids.
 */
public final class RecordIds {

    private static final char SEPARATOR = '\u001F';
    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(RecordIds::sha256);

    private RecordIds() {
    }

    public static String rootId(String programId, String partnerId, String layout, String naturalKey) {
        return hash("root", programId, partnerId, layout, naturalKey);
    }

    public static String eventId(String source, String partnerId, String rootId, int revision) {
        return hash("event", source, partnerId, rootId, Integer.toString(revision));
    }

    /** Joins natural key values the same way the hash joins its parts. */
    public static String joinKey(String... values) {
        return String.join(String.valueOf(SEPARATOR), values);
    }

    private static String hash(String... parts) {
        // digest() below leaves the instance reset, so no reset() (it clears its buffers again) is needed here
        MessageDigest digest = SHA256.get();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                digest.update((byte) SEPARATOR);
            }
            digest.update(parts[i].getBytes(StandardCharsets.UTF_8));
        }
        byte[] full = digest.digest();
        return HEX.formatHex(full, 0, 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
