package org.fieldstream.producers.forms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class FormDatesTest {

    private static final ZoneId DHAKA = ZoneId.of("Asia/Dhaka");

    @Test
    void timestampsAsFormToolsWriteThemBecomeTheLocalDateInTheProgramZone() {
        // Kobo _submission_time: UTC without offset; 23:46 UTC is the next morning in Dhaka
        assertEquals("2021-11-17", FormDates.localDate("2021-11-16T23:46:27", DHAKA));
        // formpack's start: -04:00, 14:15 there is 00:15 the next day in Dhaka
        assertEquals("2016-03-15", FormDates.localDate("2016-03-14T14:15:48.000-04:00", DHAKA));
        // ODK Central's __system/submissionDate
        assertEquals("2024-05-02", FormDates.localDate("2024-05-02T10:11:12.345Z", DHAKA));
        assertEquals("2024-05-03", FormDates.localDate("2024-05-02T18:00:00.000Z", DHAKA));
        assertEquals("2026-02-02", FormDates.localDate("2026-02-02T00:30:00.000+0600", DHAKA));
        assertEquals("2026-02-01", FormDates.localDate("2026-02-02T00:30:00+07", DHAKA));
        assertEquals("2026-03-01", FormDates.localDate("2026-03-01", DHAKA), "a date question stays as it is");
        assertEquals("2026-03-01", FormDates.localDate("2026-03-01 10:00", DHAKA));
    }

    @Test
    void anythingElseIsLeftForValidationToReject() {
        assertEquals("01/03/2026", FormDates.localDate("01/03/2026", DHAKA));
        assertEquals("2026-02-30T10:00:00Z", FormDates.localDate("2026-02-30T10:00:00Z", DHAKA));
        assertNull(FormDates.instant("yesterday"));
    }

    @Test
    void anEditsRevisionIsItsSecondsSince2000AndGrowsWithTheEditTime() {
        assertEquals(2, Revisions.ofEditTime(Instant.parse("2000-01-01T00:00:02Z")));
        assertEquals(-1, Revisions.ofEditTime(Instant.parse("1999-12-31T23:59:59Z")));
        assertEquals(Integer.MAX_VALUE, Revisions.ofEditTime(Instant.parse("2068-01-19T03:14:07Z")));
        assertEquals(-1, Revisions.ofEditTime(Instant.parse("2068-01-19T03:14:08Z")));
        assertEquals(1, Revisions.ofEdits(0));
        assertEquals(3, Revisions.ofEdits(2));
    }
}
