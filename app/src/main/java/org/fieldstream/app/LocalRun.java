package org.fieldstream.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;

/** Small helpers shared by the local runs (demo, benchmark): work directories and throwaway secrets. */
public final class LocalRun {

    private LocalRun() {
    }

    /** The environment variable that holds a program's pseudonymisation secret. */
    /** The installation's directory ({@code fieldstream.home}, set by the launcher), else the working directory. */
    public static Path home() {
        String home = System.getProperty("fieldstream.home");
        return (home == null ? Path.of("") : Path.of(home)).toAbsolutePath();
    }

    public static String secretVariable(String programId) {
        return "FIELDSTREAM_SECRET_" + programId.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** A fresh 256-bit secret for a local run: person ids differ between runs and never equal raw keys. */
    public static String randomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return HexFormat.of().formatHex(secret);
    }

    /** Deletes a work directory left by an earlier run, if any. */
    public static void clearDirectory(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }
}
