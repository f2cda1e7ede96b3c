package org.fieldstream.producers.http;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Per-partner bearer tokens, kept only as SHA-256 hashes. The tokens file holds
 * {@code <partner_id>=sha256:<hex>} (preferred: {@code printf %s "$TOKEN" | sha256sum}) or a plain
 * token, hashed on load. A presented token is hashed and compared with every partner's hash in
 * constant time, so timing reveals neither which partner nor how much of a hash matched.
 *
 * <p>A store loaded from a file follows it: when the file changes (a token issued or rotated by
 * {@code fieldstream partner token}), the next request after at most {@link #RECHECK} sees the new
 * hashes and the replaced token stops working, without a restart. A file that cannot be read keeps
 * the last good tokens (and says so once).
 */
public final class TokenStore {

    private static final HexFormat HEX = HexFormat.of();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TokenStore.class);
    static final Duration RECHECK = Duration.ofSeconds(1);

    private volatile Map<String, byte[]> hashes;
    private final Path file;
    private volatile long nextCheckNanos;
    /** SHA-256 of the file as last read: a rewrite within the file system's time granularity keeps the mtime. */
    private volatile String loadedVersion;

    public TokenStore(Map<String, byte[]> hashes) {
        this(hashes, null, null);
    }

    private TokenStore(Map<String, byte[]> hashes, Path file, String version) {
        this.hashes = Map.copyOf(hashes);
        this.file = file;
        this.loadedVersion = version;
        this.nextCheckNanos = System.nanoTime() + RECHECK.toNanos();
    }

    /** From plain tokens (tests, programmatic setup); only their hashes are kept. */
    public static TokenStore ofTokens(Map<String, String> tokens) {
        Map<String, byte[]> hashes = new HashMap<>();
        tokens.forEach((partner, token) -> hashes.put(partner, sha256(token)));
        return new TokenStore(hashes);
    }

    public static TokenStore load(Path file) {
        if (file == null) {
            throw new IllegalStateException("missing setting http.tokens.file (set FIELDSTREAM_HTTP_TOKENS_FILE)");
        }
        String text = text(file);
        return new TokenStore(parse(text, file), file, hashHex(text));
    }

    private static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokens file " + file, e);
        }
    }

    /** Reloads the file when it changed since it was read; checked at most once per {@link #RECHECK}. */
    private void refresh() {
        long now = System.nanoTime();
        if (file == null || now < nextCheckNanos) {
            return;
        }
        synchronized (this) {
            if (now < nextCheckNanos) {
                return;
            }
            nextCheckNanos = now + RECHECK.toNanos();
            try {
                String text = text(file);
                String version = hashHex(text);
                if (!version.equals(loadedVersion)) {
                    hashes = Map.copyOf(parse(text, file));
                    loadedVersion = version;
                    LOG.info("tokens file {} changed: {} partners", file, hashes.size());
                }
            } catch (RuntimeException e) {
                LOG.warn("tokens file {} cannot be read, keeping the tokens read before: {}", file, e.getMessage());
                loadedVersion = null;
            }
        }
    }

    private static Map<String, byte[]> parse(String text, Path file) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokens file " + file, e);
        }
        Map<String, byte[]> hashes = new HashMap<>();
        for (String partner : p.stringPropertyNames()) {
            String value = p.getProperty(partner).trim();
            if (value.toLowerCase(Locale.ROOT).startsWith("sha256:")) {
                hashes.put(partner, HEX.parseHex(value.substring(7).trim().toLowerCase(Locale.ROOT)));
            } else {
                hashes.put(partner, sha256(value));
            }
        }
        if (hashes.isEmpty()) {
            LOG.warn("the tokens file {} names no partner yet: every push is refused until one is added "
                    + "(./fieldstream partner token PARTNER)", file);
        }
        return hashes;
    }

    /** The partner the token belongs to, or null. Looks at every partner, whatever matches first. */
    public String partnerOf(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        refresh();
        byte[] presented = sha256(token);
        String match = null;
        for (Map.Entry<String, byte[]> e : hashes.entrySet()) {
            if (MessageDigest.isEqual(presented, e.getValue()) && match == null) {
                match = e.getKey();
            }
        }
        return match;
    }

    public static String hashHex(String token) {
        return HEX.formatHex(sha256(token));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
