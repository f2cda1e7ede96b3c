package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordHashTest {

    @TempDir
    Path dir;

    @Test
    void pbkdf2KnownAnswers() {
        // RFC 7914, section 11: PBKDF2-HMAC-SHA256, P = "passwd", S = "salt", c = 1, dkLen = 64
        assertEquals("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                        + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
                HexFormat.of().formatHex(PasswordHash.derive("passwd", "salt".getBytes(StandardCharsets.UTF_8), 1, 512)));
        // the widely published SHA-256 counterpart of RFC 6070's vector: "password", "salt", c = 4096, dkLen = 32
        assertEquals("c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a",
                HexFormat.of().formatHex(PasswordHash.derive("password", "salt".getBytes(StandardCharsets.UTF_8), 4096, 256)));
        assertEquals("pbkdf2-sha256$4096$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=",
                PasswordHash.hash("password", "salt".getBytes(StandardCharsets.UTF_8), 4096));
    }

    @Test
    void theRightPasswordMatchesAWrongOneDoesNotAndEverySaltDiffers() {
        String stored = PasswordHash.hash("correct horse");
        assertTrue(stored.startsWith("pbkdf2-sha256$" + PasswordHash.ITERATIONS + "$"), stored);
        assertTrue(PasswordHash.ITERATIONS >= 600_000, "OWASP's guidance for PBKDF2-HMAC-SHA256");
        assertTrue(PasswordHash.matches("correct horse", stored));
        assertFalse(PasswordHash.matches("correct horsf", stored));
        assertFalse(PasswordHash.matches("", stored));
        assertFalse(PasswordHash.matches("correct horse", "not a hash"));
        assertFalse(PasswordHash.matches("correct horse", null));
        String again = PasswordHash.hash("correct horse");
        assertNotEquals(salt(stored), salt(again), "each hash has its own salt");
        assertNotEquals(stored, again);
        assertEquals(PasswordHash.SALT_BYTES, java.util.Base64.getDecoder().decode(salt(stored)).length);
        // a hash of fewer iterations (written by an earlier setting) still checks with its own count
        assertTrue(PasswordHash.matches("old", PasswordHash.hash("old", new byte[16], 1000)));
    }

    @Test
    void viewersAreStoredAsHashesOwnerOnlyWithASaltEach() throws Exception {
        ViewerAccounts viewers = new ViewerAccounts(dir);
        String first = viewers.add("donor", "tiny");
        String second = viewers.add("ministry", "tiny");
        assertEquals(32, first.length());
        String file = Files.readString(dir.resolve("viewers/viewers.tsv"));
        assertFalse(file.contains(first) || file.contains(second), "no password in clear");
        String[] a = file.lines().filter(l -> l.startsWith("donor\t")).findFirst().orElseThrow().split("\t");
        String[] b = file.lines().filter(l -> l.startsWith("ministry\t")).findFirst().orElseThrow().split("\t");
        assertNotEquals(salt(a[2]), salt(b[2]), "the salt differs per account");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("viewers/viewers.tsv"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("viewers"))));

        assertEquals(Optional.of(new ViewerAccounts.Viewer("donor", "tiny")), viewers.check("donor", first));
        assertEquals(Optional.empty(), viewers.check("donor", second), "another viewer's password");
        assertEquals(Optional.empty(), viewers.check("nobody", first));
        assertThrows(IllegalArgumentException.class, () -> viewers.add("donor", "tiny"));
        assertThrows(IllegalArgumentException.class, () -> viewers.add("Bad name", "tiny"));

        String rotated = viewers.rotate("donor");
        assertEquals(Optional.empty(), viewers.check("donor", first), "the old password stops working");
        assertTrue(viewers.check("donor", rotated).isPresent());

        viewers.putReader(new ViewerAccounts.Reader("tiny", "fs_viewers_1", "internal-secret"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("viewers/readers.tsv"))));
        assertEquals("internal-secret", viewers.reader("tiny").orElseThrow().password());
        assertFalse(viewers.reader("tiny").orElseThrow().toString().contains("internal-secret"));
        assertFalse(viewers.remove("donor"), "the program keeps a viewer");
        assertTrue(viewers.remove("ministry"), "the program's last viewer");
        viewers.removeReader("tiny");
        assertEquals(Optional.empty(), viewers.reader("tiny"));
    }

    private static String salt(String stored) {
        return stored.split("\\$")[2];
    }
}
