package org.fieldstream.producers;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Per-program pseudonymisation secrets, from configuration only: the environment variable
 * {@code FIELDSTREAM_SECRET_<PROGRAM>} (program id upper cased, every other character than A-Z and
 * 0-9 turned into '_'), else the entry {@code <program_id>=<secret>} of the secrets properties file.
 * A missing or short secret fails fast, naming the variable to set; a secret's value is never logged.
 */
public final class ProgramSecrets {

    /** Shorter secrets make the pseudonyms guessable by brute force over known person keys. */
    public static final int MIN_LENGTH = 16;

    private final Map<String, String> environment;
    private final Path secretsFile;
    private volatile Properties file;

    public ProgramSecrets(Map<String, String> environment, Path secretsFile) {
        this.environment = environment;
        this.secretsFile = secretsFile;
        this.file = load(secretsFile);
    }

    public static String variableFor(String programId) {
        return "FIELDSTREAM_SECRET_" + programId.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    public Pseudonymizer pseudonymizer(String programId) {
        return new Pseudonymizer(programId, secret(programId));
    }

    byte[] secret(String programId) {
        String variable = variableFor(programId);
        String value = environment.get(variable);
        if (value == null || value.isEmpty()) {
            value = file.getProperty(programId);
        }
        if ((value == null || value.isEmpty()) && secretsFile != null) {
            file = load(secretsFile); // a program added since start (reference load writes its secret)
            value = file.getProperty(programId);
        }
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("no pseudonymisation secret for program " + programId
                    + ": set " + variable + " or add '" + programId + "=<secret>' to the secrets file (secrets.file)");
        }
        if (value.length() < MIN_LENGTH) {
            throw new IllegalStateException("the pseudonymisation secret of program " + programId + " (" + variable
                    + ") is shorter than " + MIN_LENGTH + " characters");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static Properties load(Path path) {
        Properties properties = new Properties();
        if (path == null) {
            return properties;
        }
        try (InputStream in = Files.newInputStream(path)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secrets file " + path, e);
        }
    }
}
