package org.fieldstream.producers;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.fieldstream.events.Settings;

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
    private final SecretFingerprints fingerprints;
    private volatile Properties file;

    /** Secrets whose fingerprints are not checked: for what publishes nothing (tests, tools). */
    public ProgramSecrets(Map<String, String> environment, Path secretsFile) {
        this(environment, secretsFile, null);
    }

    /** Secrets checked against the fingerprints their programs' data was published with. */
    public ProgramSecrets(Map<String, String> environment, Path secretsFile, SecretFingerprints fingerprints) {
        this.environment = environment;
        this.secretsFile = secretsFile;
        this.fingerprints = fingerprints;
        this.file = load(secretsFile);
    }

    public static String variableFor(String programId) {
        return Settings.secretVariable(programId);
    }

    /** The program's pseudonymiser; its secret must be configured (see {@link #verify} for whether it is the right one). */
    public Pseudonymizer pseudonymizer(String programId) {
        return new Pseudonymizer(programId, secret(programId));
    }

    /**
     * Checks, where fingerprints are checked, that the program's secret is the one its data was
     * published with (recording it when the program has none yet). Call before publishing.
     *
     * @throws SecretFingerprints.IdentityException when person ids would change
     */
    public void verify(String programId) {
        if (fingerprints == null) {
            return;
        }
        String variable = variableFor(programId);
        String value = configured(programId);
        if (value == null && fingerprints.recorded(programId).isPresent()) {
            throw SecretFingerprints.missing(programId, variable);
        }
        fingerprints.verify(programId, checked(programId, value), variable);
    }

    byte[] secret(String programId) {
        return checked(programId, configured(programId));
    }

    /** The variable's value, else the file's entry (read again when missing), else null. */
    private String configured(String programId) {
        String value = environment.get(variableFor(programId));
        if (value == null || value.isEmpty()) {
            value = file.getProperty(programId);
        }
        if ((value == null || value.isEmpty()) && secretsFile != null) {
            file = load(secretsFile); // a program added since start (reference load writes its secret)
            value = file.getProperty(programId);
        }
        return value == null || value.isEmpty() ? null : value;
    }

    private static byte[] checked(String programId, String value) {
        String variable = variableFor(programId);
        if (value == null) {
            throw new IllegalStateException("no pseudonymisation secret for program " + programId
                    + ": set " + variable + " or add '" + programId + "=<secret>' to the secrets file (secrets.file). If the"
                    + " program has data already, restore its secret from a backup instead: person ids depend on it");
        }
        if (value.length() < MIN_LENGTH) {
            throw new IllegalStateException("the pseudonymisation secret of program " + programId + " (" + variable
                    + ") is shorter than " + MIN_LENGTH + " characters");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static Properties load(Path path) {
        Properties properties = new Properties();
        if (path == null || !Files.exists(path)) {
            return properties; // a lost file is a missing secret, and said as such per program
        }
        try (InputStream in = Files.newInputStream(path)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secrets file " + path, e);
        }
    }
}
