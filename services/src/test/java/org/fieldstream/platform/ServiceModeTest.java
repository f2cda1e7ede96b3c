package org.fieldstream.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServiceModeTest {

    @Test
    void unsetMeansAuto() {
        assertEquals(ServiceMode.AUTO, ServiceMode.parse(null));
        assertEquals(ServiceMode.AUTO, ServiceMode.parse(" "));
    }

    @Test
    void parsesAnyCase() {
        assertEquals(ServiceMode.LOCAL, ServiceMode.parse("local"));
        assertEquals(ServiceMode.DOCKER, ServiceMode.parse(" Docker "));
    }

    @Test
    void unknownValueNamesTheKeyAndTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServiceMode.parse("k8s"));

        assertTrue(e.getMessage().contains("FIELDSTREAM_SERVICES=k8s"), e.getMessage());
        assertTrue(e.getMessage().contains("local, docker or auto"), e.getMessage());
    }

    @Test
    void autoAsksDockerAndExplicitModesDoNot() {
        assertEquals(ServiceMode.DOCKER, ServiceMode.AUTO.resolve(() -> true));
        assertEquals(ServiceMode.LOCAL, ServiceMode.AUTO.resolve(() -> false));
        assertEquals(ServiceMode.LOCAL, ServiceMode.LOCAL.resolve(() -> {
            throw new AssertionError("must not ask Docker");
        }));
        assertEquals(ServiceMode.DOCKER, ServiceMode.DOCKER.resolve(() -> false));
    }
}
