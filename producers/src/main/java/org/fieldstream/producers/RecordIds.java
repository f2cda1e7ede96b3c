package org.fieldstream.producers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic identities. {@code root_id} names a logical record across its corrections: the first
 * 128 bits of SHA-256 over program, partner, layout and natural key, in hex. {@code event_id} names one
 * revision of it with one content: SHA-256 over partner, root id, revision and the encoded payload. The
 * channel (file, HTTP, form export) is not part of it, so the same record sent through two channels
 * is one event; two different contents sent with the same revision are two events, which the
 * latest-revision rule orders deterministically. The parts are joined with a unit separator (U+001F),
 * which no partner value contains after trimming, so ("a b", "c") and ("a", "b c") cannot collide.
 * Ingesting the same file twice gives the same ids.
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

    /** @param content the record's payload as encoded bytes (see {@link PayloadBytes}) */
    public static String eventId(String partnerId, String rootId, int revision, byte[] content) {
        MessageDigest digest = SHA256.get();
        update(digest, "event", partnerId, rootId, Integer.toString(revision));
        digest.update((byte) SEPARATOR);
        digest.update(content);
        return HEX.formatHex(digest.digest(), 0, 16);
    }

    /** Joins natural key values the same way the hash joins its parts. */
    public static String joinKey(String... values) {
        return String.join(String.valueOf(SEPARATOR), values);
    }

    private static String hash(String... parts) {
        // digest() below leaves the instance reset, so no reset() (it clears its buffers again) is needed here
        MessageDigest digest = SHA256.get();
        update(digest, parts);
        return HEX.formatHex(digest.digest(), 0, 16);
    }

    private static void update(MessageDigest digest, String... parts) {
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                digest.update((byte) SEPARATOR);
            }
            digest.update(parts[i].getBytes(StandardCharsets.UTF_8));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
