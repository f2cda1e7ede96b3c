package org.fieldstream.producers;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a partner's person key into a {@code person_id}: HMAC-SHA256 under the program's secret, hex
 * lower case. Without the secret the pseudonym cannot be reversed or recomputed from a guessed key.
 * The person key is trimmed first, so " P-1 " and "P-1" are the same person. Thread safe: one Mac
 * per thread.
 */
public final class Pseudonymizer {

    private static final HexFormat HEX = HexFormat.of();
    private static final String ALGORITHM = "HmacSHA256";

    private final String programId;
    private final ThreadLocal<Mac> mac;

    public Pseudonymizer(String programId, byte[] secret) {
        this.programId = programId;
        SecretKeySpec key = new SecretKeySpec(secret.clone(), ALGORITHM);
        this.mac = ThreadLocal.withInitial(() -> newMac(key));
        mac.get();
    }

    public String programId() {
        return programId;
    }

    public String personId(String personKey) {
        Mac m = mac.get();
        return HEX.formatHex(m.doFinal(personKey.trim().getBytes(StandardCharsets.UTF_8)));
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac m = Mac.getInstance(ALGORITHM);
            m.init(key);
            return m;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("cannot initialise " + ALGORITHM, e);
        }
    }
}
