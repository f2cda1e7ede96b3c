package org.fieldstream.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerVersionTest {

    @Test
    void readsYearAndFeatureReleaseOfOldAndCurrentServers() {
        ServerVersion old = ServerVersion.parse("18.16.1");
        assertEquals(18, old.major());
        assertEquals(16, old.minor());
        ServerVersion current = ServerVersion.parse("26.7.2.1");
        assertEquals(26, current.major());
        assertEquals(7, current.minor());
        assertEquals("26.7.2.1", current.toString());
    }

    @Test
    void comparesByYearThenFeatureRelease() {
        assertFalse(ServerVersion.parse("18.16.1").atLeast(ServerVersion.REPLACE_VIEW));
        assertFalse(ServerVersion.parse("23.12.4.15").atLeast(ServerVersion.REPLACE_VIEW));
        assertTrue(ServerVersion.parse("24.1.1.1").atLeast(ServerVersion.REPLACE_VIEW));
        assertTrue(ServerVersion.parse("25.8.3.66").atLeast(ServerVersion.REPLACE_VIEW));
        assertTrue(ServerVersion.parse("26.7.2.1").atLeast(ServerVersion.parse("26.7")));
        assertFalse(ServerVersion.parse("26.6.9").atLeast(ServerVersion.parse("26.7")));
    }

    @Test
    void refusesWhatIsNotAVersion() {
        assertThrows(IllegalArgumentException.class, () -> ServerVersion.parse("26"));
        assertThrows(IllegalArgumentException.class, () -> ServerVersion.parse("v26.7"));
        assertThrows(IllegalArgumentException.class, () -> ServerVersion.parse(null));
    }
}
