package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** When a stage flushes at once: after a quiet spell, and for a bounded burst of the records that came with the one ending it. */
class QuietSpellTest {

    private final QuietSpell spell = new QuietSpell(Duration.ofMillis(500));

    @Test
    void aChangeAfterAQuietSpellGoesOutAtOnceAndOneWithinTheIntervalWaits() {
        assertTrue(spell.flushNow(10_000, 1), "nothing flushed yet: quiet");
        spell.flushed(10_000);
        assertFalse(spell.flushNow(10_300, 2), "300 ms after a flush, another upstream flush: waits for the timer");
        assertTrue(spell.flushNow(10_500, 3), "500 ms after the last flush: quiet again");
    }

    @Test
    void theRecordsOfTheUpstreamFlushThatEndedTheSpellGoOutAtOnceUpToTheBound() {
        assertTrue(spell.flushNow(10_000, 7));
        spell.flushed(10_000);
        for (int i = 1; i < QuietSpell.BURST_RECORDS; i++) {
            assertTrue(spell.flushNow(10_001, 7), "record " + (i + 1) + " of the burst");
            spell.flushed(10_001);
        }
        assertFalse(spell.flushNow(10_001, 7), "past " + QuietSpell.BURST_RECORDS + " records: the timer again");
        assertFalse(spell.flushNow(10_002, 7), "and it stays so for that burst");
    }

    @Test
    void aBurstEndsAfterItsTimeAndAnotherTimestampIsNotPartOfIt() {
        assertTrue(spell.flushNow(10_000, 7));
        spell.flushed(10_000);
        assertFalse(spell.flushNow(10_010, 8), "another upstream flush within the interval waits");
        assertTrue(spell.flushNow(10_020, 7), "the burst's own records still go out");
        spell.flushed(10_020);
        assertFalse(spell.flushNow(10_000 + QuietSpell.BURST_MS, 7), "50 ms after the burst began: the timer again");
    }
}
