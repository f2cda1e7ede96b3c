package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RestartPauseTest {

    private static final Duration QUICK = Duration.ofSeconds(2);

    @Test
    void doublesAfterQuickFailuresUpToTheMaximum() {
        RestartPause pause = new RestartPause(Duration.ofSeconds(1), Duration.ofSeconds(60));
        List<Long> seconds = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            seconds.add(pause.after(QUICK).toSeconds());
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L), seconds);
    }

    @Test
    void startsOverAfterARunThatLastedTheMaximum() {
        RestartPause pause = new RestartPause(Duration.ofSeconds(1), Duration.ofSeconds(60));
        pause.after(QUICK);
        pause.after(QUICK);
        assertEquals(Duration.ofSeconds(4), pause.after(Duration.ofSeconds(59)));
        assertEquals(Duration.ofSeconds(1), pause.after(Duration.ofSeconds(60)));
        assertEquals(Duration.ofSeconds(2), pause.after(QUICK));
    }

    @Test
    void refusesPausesThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> new RestartPause(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new RestartPause(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
