package org.fieldstream.producers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

    @TempDir
    Path dir;

    @Test
    void issuedTokenWorksOnlyItsHashIsStoredAndRotationRetiresTheOldOne() throws Exception {
        Path file = dir.resolve("conf/tokens.properties");
        TokenFile tokens = new TokenFile(file, new SecureRandom());
        String ndp = tokens.issue("ndp");
        String mms = tokens.issue("mms");
        assertTrue(ndp.matches("[A-Za-z0-9_-]{43}"), ndp);
        String stored = Files.readString(file);
        assertFalse(stored.contains(ndp), "only the hash is stored");
        assertTrue(stored.contains("ndp=sha256:" + TokenStore.hashHex(ndp)), stored);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        TokenStore store = TokenStore.load(file);
        assertEquals("ndp", store.partnerOf(ndp));
        assertEquals("mms", store.partnerOf(mms));

        String rotated = tokens.issue("ndp");
        assertNotEquals(ndp, rotated);
        Awaitility.await("a running store drops the replaced token").atMost(TokenStore.RECHECK.multipliedBy(5))
                .pollInterval(java.time.Duration.ofMillis(100)).until(() -> store.partnerOf(ndp) == null);
        assertEquals("ndp", store.partnerOf(rotated));
        assertEquals("mms", store.partnerOf(mms), "other partners keep theirs");
        assertEquals(1, Files.readAllLines(file).stream().filter(l -> l.startsWith("ndp=")).count());
    }
}
