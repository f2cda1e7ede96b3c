package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudonymizerTest {

    private static final String SECRET = "a-long-program-secret-1234";

    @Test
    void personIdIsHmacSha256OfTheKeyInLowerCaseHex() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal("P-0001".getBytes(StandardCharsets.UTF_8)));
        Pseudonymizer p = new Pseudonymizer("P1", SECRET.getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, p.personId("P-0001"));
        assertEquals(expected, p.personId("  P-0001 "), "the key is trimmed");
        assertTrue(expected.matches("[0-9a-f]{64}"));
    }

    @Test
    void differentProgramSecretsGiveDifferentPseudonyms() {
        Pseudonymizer a = new Pseudonymizer("P1", SECRET.getBytes(StandardCharsets.UTF_8));
        Pseudonymizer b = new Pseudonymizer("P2", "another-long-secret-5678".getBytes(StandardCharsets.UTF_8));
        assertNotEquals(a.personId("P-0001"), b.personId("P-0001"));
    }

    @Test
    void secretComesFromTheEnvironmentVariableNamedForTheProgram() {
        assertEquals("FIELDSTREAM_SECRET_BD_YOUTH_2026", ProgramSecrets.variableFor("bd-youth.2026"));
        ProgramSecrets secrets = new ProgramSecrets(Map.of("FIELDSTREAM_SECRET_BD_YOUTH_2026", SECRET), null);
        assertEquals(new Pseudonymizer("bd-youth.2026", SECRET.getBytes(StandardCharsets.UTF_8)).personId("k"),
                secrets.pseudonymizer("bd-youth.2026").personId("k"));
    }

    @Test
    void secretComesFromTheSecretsFileWhenNoVariableIsSet(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secrets.properties");
        Files.writeString(file, "P1=" + SECRET + "\n");
        ProgramSecrets secrets = new ProgramSecrets(Map.of(), file);
        assertEquals(new Pseudonymizer("P1", SECRET.getBytes(StandardCharsets.UTF_8)).personId("k"),
                secrets.pseudonymizer("P1").personId("k"));
    }

    @Test
    void missingSecretFailsFastNamingTheVariable() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ProgramSecrets(Map.of(), null).pseudonymizer("p-9"));
        assertTrue(e.getMessage().contains("FIELDSTREAM_SECRET_P_9"), e.getMessage());
    }

    @Test
    void shortSecretIsRefusedWithoutEchoingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ProgramSecrets(Map.of("FIELDSTREAM_SECRET_P1", "zq9x"), null).pseudonymizer("P1"));
        assertFalse(e.getMessage().contains("zq9x"), e.getMessage());
        assertTrue(e.getMessage().contains("shorter than"), e.getMessage());
    }
}
