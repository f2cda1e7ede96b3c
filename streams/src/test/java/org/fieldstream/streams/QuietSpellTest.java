package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.fieldstream.events.EarlyCredit;
import org.junit.jupiter.api.Test;

/**
 * When a stage flushes at once: after a quiet spell, after a pause without records while an early
 * flush is in credit, and for a bounded burst of the records that came with the one beginning it.
 */
class QuietSpellTest {

    private final QuietSpell spell = new QuietSpell(Duration.ofMillis(500));

    @Test
    void aChangeAfterAQuietSpellGoesOutAtOnceAndOneRightAfterAnotherWaits() {
        assertTrue(spell.flushNow(10_000, 1), "nothing flushed yet: quiet");
        spell.flushed(10_000);
        assertFalse(spell.flushNow(10_030, 2), "30 ms after a record, another upstream flush: waits for the timer");
        assertTrue(spell.flushNow(10_530, 3), "500 ms after the last flush: quiet again");
    }

    @Test
    void changesAfterAPauseGoOutAtOnceWhileTheCreditLasts() {
        long t = 10_000;
        for (int i = 0; i < EarlyCredit.SAVED; i++) {
            assertTrue(spell.begins(t), "early flush " + (i + 1) + " of the saved " + EarlyCredit.SAVED);
            spell.flushed(t);
            t += QuietSpell.PAUSE_MS;
        }
        assertFalse(spell.begins(t), "the saved credit spent (300 ms left): waits for the timer");
        assertTrue(spell.begins(t + 100), "100 ms later a whole interval of credit has accrued");
        spell.flushed(t + 100);
        assertFalse(spell.begins(t + 200), "100 ms after that, not yet the next");
        assertFalse(spell.begins(t + 400), "nor 300 ms after it");
        assertTrue(spell.begins(t + 600), "an interval after it, one more");
    }

    @Test
    void underLoadRecordsWithoutAPauseWaitForTheTimer() {
        long t = 10_000;
        assertTrue(spell.begins(t));
        spell.flushed(t);
        int early = 0;
        for (int i = 1; i <= 2_000; i++) { // a record every 5 ms for 10 s, the timer flushing every 500 ms
            t += 5;
            if (i % 100 == 0) {
                long at = t;
                spell.timed(() -> spell.flushed(at)); // the punctuation finds changes; it runs before the record of the same instant
            }
            if (spell.begins(t)) {
                early++;
            }
        }
        assertTrue(early == 0, "no early flush while records come every 5 ms and the timer flushes: " + early);
    }

    @Test
    void afterATimedFlushThatFoundChangesAPauseIsNotEnough() {
        long t = 10_000;
        assertTrue(spell.begins(t));
        spell.flushed(t);
        spell.timed(() -> spell.flushed(10_200)); // a timed flush with changes, e.g. after the other tasks' long flush
        assertFalse(spell.begins(10_350), "150 ms without records, but the timer is busy: waits for it");
        spell.timed(() -> { }); // the next timed flush finds nothing
        assertTrue(spell.begins(10_900), "the timer idle, a pause and credit: at once");
    }

    @Test
    void theRecordsOfTheUpstreamFlushThatBeganItGoOutAtOnceUpToTheBound() {
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
        assertFalse(spell.flushNow(10_010, 8), "another upstream flush right after waits");
        assertTrue(spell.flushNow(10_020, 7), "the burst's own records still go out");
        spell.flushed(10_020);
        assertFalse(spell.flushNow(10_000 + QuietSpell.BURST_MS, 7), "50 ms after the burst began: the timer again");
    }
}
