package org.fieldstream.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.fieldstream.events.Settings;
import org.fieldstream.producers.SecretFingerprints;

/**
 * Generated pseudonymisation secrets, one per program, in a file only its owner reads, each tied to
 * its program's data by the fingerprint recorded in Kafka ({@link SecretFingerprints}).
 */
final class Secrets {
    private Secrets() {
    }

    /**
     * Checks every program's secret (its variable, else the file) against its recorded fingerprint,
     * then adds a random secret for every program that has neither a secret nor a fingerprint and
     * records the fingerprints not yet recorded; returns the programs that got a secret. A program
     * whose data was published under a secret that is now missing or different stops everything
     * before anything is written or published: a new secret would give every person a new id.
     */
    static List<String> ensure(Path file, Collection<String> programs, Map<String, String> environment,
                               SecretFingerprints fingerprints) {
        Properties secrets = new Properties();
        try {
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    secrets.load(in);
                }
            }
            List<String> problems = new ArrayList<>();
            List<String> added = new ArrayList<>();
            for (String program : programs) {
                String variable = Settings.secretVariable(program);
                String value = environment.get(variable);
                if (value == null || value.isEmpty()) {
                    value = secrets.getProperty(program);
                }
                Optional<String> recorded = fingerprints.recorded(program);
                if (value == null || value.isEmpty()) {
                    if (recorded.isPresent()) {
                        problems.add(SecretFingerprints.missing(program, variable).getMessage());
                    } else {
                        added.add(program);
                    }
                } else if (recorded.isPresent() && !recorded.get().equals(SecretFingerprints.of(value.getBytes(StandardCharsets.UTF_8)))) {
                    problems.add(SecretFingerprints.mismatch(program, variable).getMessage());
                }
            }
            if (!problems.isEmpty()) {
                throw new SecretFingerprints.IdentityException(String.join("\n", problems));
            }
            SecureRandom random = new SecureRandom();
            for (String program : added) {
                byte[] bytes = new byte[32];
                random.nextBytes(bytes);
                secrets.setProperty(program, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            }
            if (!added.isEmpty() || !Files.exists(file)) {
                write(file, secrets);
            }
            for (String program : programs) {
                String variable = Settings.secretVariable(program);
                String value = environment.getOrDefault(variable, "");
                fingerprints.verify(program, (value.isEmpty() ? secrets.getProperty(program) : value).getBytes(StandardCharsets.UTF_8),
                        variable);
            }
            return added;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    private static void write(Path file, Properties secrets) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".secrets", ".tmp");
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        try (OutputStream out = Files.newOutputStream(temp)) {
            secrets.store(out, "pseudonymisation secrets per program: keep them, person ids depend on them");
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
