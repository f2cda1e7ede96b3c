package org.fieldstream.producers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BodyPaceTest {

    private static final long MS = 1_000_000L;

    @Test
    void aBodyMayLagDuringTheGraceThenKeepsTheMinimumRate() {
        BodyPace pace = BodyPace.startingNow(new BodyPace.Limits(60_000, 1024, 3000));
        long start = System.nanoTime();
        // nothing yet: the grace is all the slack (give or take the clock between the two reads)
        long slack = pace.slackNanos(0, start);
        assertTrue(slack > 2990 * MS && slack <= 3000 * MS, Long.toString(slack));
        // 1024 bytes buy one second past the grace
        long afterKiB = pace.slackNanos(1024, start);
        assertTrue(afterKiB - slack == 1000 * MS, Long.toString(afterKiB - slack));
        // 10 bytes 5 s in: too slow
        assertTrue(pace.slackNanos(10, start + 5000 * MS) <= 0);
    }

    @Test
    void theWholeBodyTimeoutBoundsAFastBodyToo() {
        BodyPace pace = BodyPace.startingNow(new BodyPace.Limits(2000, 1024, 0));
        long start = System.nanoTime();
        assertTrue(pace.slackNanos(1L << 40, start) <= 2000 * MS, "the deadline, not the rate");
        assertTrue(pace.slackNanos(1L << 40, start + 2001 * MS) <= 0);
    }

    @Test
    void noMinimumRateLeavesTheDeadlineOnly() {
        BodyPace pace = BodyPace.startingNow(new BodyPace.Limits(2000, 0, 0));
        long start = System.nanoTime();
        assertTrue(pace.slackNanos(0, start + 1000 * MS) > 0);
        assertTrue(pace.slackNanos(0, start + 2001 * MS) <= 0);
        assertEquals(pace.slackNanos(0, start), pace.slackNanos(5, start));
    }
}
