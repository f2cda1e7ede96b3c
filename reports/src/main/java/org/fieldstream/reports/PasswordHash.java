package org.fieldstream.reports;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A password stored as a slow salted hash: PBKDF2 with HMAC-SHA-256 (the JDK's
 * {@code PBKDF2WithHmacSHA256}), {@link #ITERATIONS} iterations, a 16-byte random salt per password, a
 * 32-byte key, written {@code pbkdf2-sha256$<iterations>$<salt>$<key>} (base64). Checking compares
 * the keys in constant time. A stored hash with fewer iterations than {@link #ITERATIONS} still
 * checks (its count is in the text) and is written anew at the next {@code analyst password}.
 */
public final class PasswordHash {

    /** OWASP's current guidance for PBKDF2-HMAC-SHA256. */
    public static final int ITERATIONS = 600_000;
    static final int SALT_BYTES = 16;
    static final int KEY_BITS = 256;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final Pattern STORED = Pattern.compile("pbkdf2-sha256\\$(\\d{1,9})\\$([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+)");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Checked against when the user is unknown, so that an unknown name takes as long as a wrong password. */
    private static final String DECOY = hash("decoy", new byte[SALT_BYTES], ITERATIONS);
    /** Password checks made in this JVM, real or decoy (each costs about a second). */
    private static final AtomicLong CHECKS = new AtomicLong();

    private PasswordHash() {
    }

    /** The password's hash with a new random salt, as stored. */
    public static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return hash(password, salt, ITERATIONS);
    }

    static String hash(String password, byte[] salt, int iterations) {
        Base64.Encoder b64 = Base64.getEncoder();
        return "pbkdf2-sha256$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, iterations, KEY_BITS));
    }

    /** True when {@code password} has the {@code stored} hash; false for any other password or a stored text that is no hash. */
    public static boolean matches(String password, String stored) {
        CHECKS.incrementAndGet();
        Matcher m = stored == null ? null : STORED.matcher(stored);
        if (password == null || m == null || !m.matches()) {
            return false;
        }
        int iterations = Integer.parseInt(m.group(1));
        byte[] salt = Base64.getDecoder().decode(m.group(2));
        byte[] expected = Base64.getDecoder().decode(m.group(3));
        if (iterations < 1 || expected.length == 0) {
            return false;
        }
        return MessageDigest.isEqual(expected, derive(password, salt, iterations, expected.length * 8));
    }

    /** Password checks made so far in this JVM, real or decoy. */
    static long checks() {
        return CHECKS.get();
    }

    /** Spends the time of a check for a user who has no hash; always false. */
    static boolean decoy(String password) {
        matches(password, DECOY);
        return false;
    }

    /** PBKDF2-HMAC-SHA256 of the password (UTF-8) and salt: {@code bits} of key. */
    static byte[] derive(String password, byte[] salt, int iterations, int bits) {
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every Java 17 runtime", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }
}
