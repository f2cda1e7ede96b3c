package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

class SqlTextTest {

    @Test
    void quotesEveryValueAsOneLiteral() {
        // validation refuses these long before; the quoting still has to hold on its own
        assertEquals("partner_id = '\\' OR 1=1 --'", SqlText.equal("partner_id", "' OR 1=1 --"));
        assertEquals("'a\\\\\\'b'", SqlText.literal("a\\'b"));
        assertEquals("'ndp\u2019'", SqlText.literal("ndp\u2019"));
    }

    @Test
    void datesAreLiteralsInsideToDate() {
        assertEquals("period_start >= toDate('2026-01-01')", SqlText.onOrAfter("period_start", LocalDate.of(2026, 1, 1)));
        assertEquals("period_start <= toDate('2026-03-31')", SqlText.onOrBefore("period_start", LocalDate.of(2026, 3, 31)));
    }

    @Test
    void whereJoinsConditionsOrIsEmpty() {
        assertEquals("", SqlText.where(List.of()));
        assertEquals(" WHERE a = 1 AND b = 2", SqlText.where(List.of("a = 1", "b = 2")));
    }
}
