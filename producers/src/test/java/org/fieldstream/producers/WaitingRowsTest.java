package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.fieldstream.producers.forms.FormExportSource;
import org.junit.jupiter.api.Test;

/**
 * Rows that can only wait: in one run, a dialogue's registration dated before the program's start is
 * rejected, and its attendance rows (undated, accepted: partners may send them before the dialogue)
 * are counted as waiting; attendance of a dialogue registered in the same run, or never sent, is not.
 */
class WaitingRowsTest {

    private final KnownAggregates known = new KnownAggregates(100);
    private final RowConverter converter = new RowConverter("P1", "X", "csv", LocalDate.parse("2025-10-01"),
            new Pseudonymizer("P1", "waiting-test-secret-0001".getBytes(StandardCharsets.UTF_8)), known, 2, false,
            Clock.fixed(Instant.parse("2026-04-20T06:00:00Z"), ZoneOffset.UTC));

    @Test
    void attendanceOfADialogueWhoseRegistrationWasRejectedInTheRunIsCountedAsWaiting() throws IOException {
        RejectedRegistrations registrations = new RejectedRegistrations();
        Ingest.Result dialogues = run(registrations, Layout.DIALOGUES, List.of(
                Map.of("dialogue_id", "D-OLD-01", "kind", "policy_dialogue", "topic", "Char land", "held_on", "2025-09-14",
                        "org_unit_id", "U1"),
                Map.of("dialogue_id", "D-NEW-01", "kind", "policy_dialogue", "topic", "Char land", "held_on", "2026-04-14",
                        "org_unit_id", "U1")));
        assertEquals(List.of(1L, 1L), List.of(dialogues.accepted(), dialogues.rejected()));
        Ingest.Result attendance = run(registrations, Layout.DIALOGUE_ATTENDANCE, List.of(
                Map.of("dialogue_id", "D-OLD-01", "attendee_no", "1", "role", "chair", "sex", "f"),
                Map.of("dialogue_id", "D-OLD-01", "attendee_no", "2", "role", "member", "sex", "m"),
                Map.of("dialogue_id", "D-NEW-01", "attendee_no", "1", "role", "chair", "sex", "f"),
                Map.of("dialogue_id", "D-LATER-01", "attendee_no", "1", "role", "chair", "sex", "f")));
        assertEquals(4, attendance.accepted());
        assertEquals(2, attendance.standings().waiting(), "the two attendees of the rejected dialogue can only wait");
    }

    private Ingest.Result run(RejectedRegistrations registrations, Layout layout, List<Map<String, String>> rows)
            throws IOException {
        List<SourceRow> source = rows.stream().map(v -> SourceRow.of(layout, v, layout.id() + ".csv")).toList();
        Ingest ingest = new Ingest(converter, known, null, new Progress(new PrintStream(OutputStream.nullOutputStream()),
                System::nanoTime), new LandedRecords("P1", "X"), true, registrations);
        return ingest.run(new FormExportSource(layout.id() + ".csv", "csv", layout, source), layout);
    }
}
