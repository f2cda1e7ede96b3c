package org.fieldstream.events;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyCreditTest {

    @Test
    void emptyCreditWaitsAnIntervalThenAccruesOnePerInterval() {
        EarlyCredit credit = EarlyCredit.empty(100, 1_000);
        assertFalse(credit.available(1_099));
        assertTrue(credit.available(1_100));
        credit.spend(1_100);
        assertFalse(credit.available(1_150), "spent: half an interval is not enough");
        assertTrue(credit.available(1_200));
    }

    @Test
    void aQuietSpellSavesAtMostFourEarlyActions() {
        EarlyCredit credit = EarlyCredit.empty(100, 0);
        long now = 1_000_000; // far more than four intervals of quiet
        for (int i = 0; i < EarlyCredit.SAVED; i++) {
            assertTrue(credit.available(now), "early action " + (i + 1));
            credit.spend(now);
        }
        assertFalse(credit.available(now), "the saved credit is capped");
    }

    @Test
    void fullCreditStartsWithEverySavedAction() {
        EarlyCredit credit = EarlyCredit.full(500);
        for (int i = 0; i < EarlyCredit.SAVED; i++) {
            assertTrue(credit.available(0));
            credit.spend(0);
        }
        assertFalse(credit.available(0));
        assertTrue(credit.available(500));
    }

    @Test
    void spendingWithoutCreditNeverGoesBelowNothing() {
        EarlyCredit credit = EarlyCredit.empty(100, 0);
        credit.spend(0);
        credit.spend(0);
        assertTrue(credit.available(100), "one interval after an overdraft: available again");
    }

    @Test
    void anIntervalMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> EarlyCredit.empty(0, 0));
    }
}
