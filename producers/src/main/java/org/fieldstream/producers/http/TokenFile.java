package org.fieldstream.producers.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Issues partner tokens into the tokens file: a new random token per call (256 bits, URL-safe
 * Base64), of which only the SHA-256 hash is written, as {@code <partner>=sha256:<hex>}. Issuing
 * again for a partner replaces its line, so the old token stops working (a running push endpoint
 * re-reads the file, see {@link TokenStore}). The file is replaced atomically and readable by its
 * owner only.
 */
public final class TokenFile {

    private final Path file;
    private final SecureRandom random;

    public TokenFile(Path file, SecureRandom random) {
        this.file = file;
        this.random = random;
    }

    /** A new token for {@code partner}; the caller shows it once, nothing else keeps it. */
    public String issue(String partner) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        List<String> lines = new ArrayList<>();
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.strip().startsWith(partner + "=") && !line.strip().startsWith(partner + " =")) {
                        lines.add(line);
                    }
                }
            } else {
                lines.add("# partner=sha256:<hex of the token's SHA-256>; written by fieldstream partner token");
            }
            lines.add(partner + "=sha256:" + TokenStore.hashHex(token));
            write(lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tokens file " + file, e);
        }
        return token;
    }

    private void write(List<String> lines) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".tokens", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions apply
            }
            Files.write(temp, lines, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
