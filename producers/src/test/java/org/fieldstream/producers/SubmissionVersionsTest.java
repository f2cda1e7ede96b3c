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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RecordRetracted;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.Topics;
import org.fieldstream.producers.forms.FormExportSource;
import org.junit.jupiter.api.Test;

/**
 * A submission is the unit of revision: three versions of one dialogue's attendee list (revision 1:
 * attendees 1, 2, 3; revision 5: 1 and 3, the second item deleted; revision 9: 1 only, the third
 * item deleted too), ingested in every order, each possibly twice, leave exactly the latest version's
 * records current, the same records voided whatever the order (each at the revision of the latest
 * version known when it was voided). Rows go through {@link Ingest} as a
 * form export gives them, in dry-run mode with the run's {@link LandedRecords} standing in for the topic.
 */
class SubmissionVersionsTest {

    private static final Topics TOPICS = new Topics("t.");
    private static final String IDENTITY = RecordIds.joinKey("kobo", "48311");

    private final KnownAggregates known = new KnownAggregates(100);
    private final RowConverter converter = new RowConverter("P1", "X", "kobo", LocalDate.parse("2026-01-01"),
            new Pseudonymizer("P1", "submission-test-secret-01".getBytes(StandardCharsets.UTF_8)), known, 2, false,
            Clock.fixed(Instant.parse("2026-04-20T06:00:00Z"), ZoneOffset.UTC));

    @Test
    void everyArrivalOrderEndsWithTheLatestVersionsRecords() throws IOException {
        List<List<Integer>> orders = List.of(List.of(1, 5, 9), List.of(9, 5, 1), List.of(5, 9, 1), List.of(1, 9, 5, 1, 9),
                List.of(9, 1, 1, 5));
        TreeSet<String> firstVoided = null;
        for (List<Integer> order : orders) {
            LandedRecords landed = new LandedRecords("P1", "X");
            List<FieldEvent> events = new ArrayList<>();
            for (int revision : order) {
                ingest(landed, revision, events);
            }
            assertEquals(List.of("1"), current(events), order + ": only the latest version's attendee is current");
            TreeSet<String> voided = new TreeSet<>();
            events.stream().filter(e -> e.getPayload() instanceof RecordRetracted).forEach(e -> voided.add(e.getRootId()));
            if (firstVoided == null) {
                firstVoided = voided;
            } else {
                assertEquals(firstVoided, voided, order + ": the same records voided as in order " + orders.get(0));
            }
        }
        assertEquals(2, firstVoided.size(), "attendees 2 and 3");
    }

    @Test
    void theSummaryCountsRetractedAndSupersededRowsAndAVersionAgainChangesNothing() throws IOException {
        LandedRecords landed = new LandedRecords("P1", "X");
        List<FieldEvent> events = new ArrayList<>();
        Ingest.Standings first = ingest(landed, 1, events);
        assertEquals(List.of(3L, 0L, 0L, 0L), counts(first));
        Ingest.Standings edit = ingest(landed, 5, events);
        assertEquals(List.of(2L, 0L, 0L, 1L), counts(edit), "attendee 2 deleted: one record retracted");
        Ingest.Standings again = ingest(landed, 5, events);
        assertEquals(List.of(0L, 2L, 0L, 0L), counts(again), "the same export again retracts nothing");
        Ingest.Standings older = ingest(landed, 1, events);
        assertEquals(List.of(0L, 3L, 0L, 0L), counts(older), "the older export again: already there, nothing resurrected");
        assertEquals(List.of("1", "3"), current(events));
        FieldEvent retraction = events.stream().filter(e -> e.getPayload() instanceof RecordRetracted).findFirst().orElseThrow();
        assertEquals(5, retraction.getRevision(), "retracted at the latest version's revision");
        assertEquals("dialogue.json:uuid:v5", Submissions.untagged(retraction.getSourceRef()), "names the superseding version");
        assertEquals("P1/X/D-TEK-07", retraction.getAggregateId());

        LandedRecords late = new LandedRecords("P1", "X");
        List<FieldEvent> lateEvents = new ArrayList<>();
        ingest(late, 5, lateEvents);
        Ingest.Standings olderLate = ingest(late, 1, lateEvents);
        assertEquals(List.of(0L, 0L, 3L, 1L), counts(olderLate),
                "an older version after a newer one: its rows are superseded and the one the newer lacks is retracted");
        assertEquals(List.of("1", "3"), current(lateEvents));
    }

    private static List<Long> counts(Ingest.Standings s) {
        return List.of(s.fresh(), s.alreadyThere(), s.superseded(), s.retracted());
    }

    /** Attendee numbers of the dialogue's current records, by the latest-revision rule (a retraction wins a tie). */
    private static List<String> current(List<FieldEvent> events) {
        Map<String, FieldEvent> top = new LinkedHashMap<>();
        for (FieldEvent e : events) {
            top.merge(e.getRootId(), e, (a, b) -> b.getRevision() > a.getRevision()
                    || b.getRevision() == a.getRevision() && b.getPayload() instanceof RecordRetracted ? b : a);
        }
        return top.values().stream().filter(e -> !(e.getPayload() instanceof RecordRetracted))
                .map(e -> Submissions.untagged(e.getSourceRef()).replaceAll(".*#", "")).sorted().toList();
    }

    /** One version of the submission: attendees 1, 2, 3 at revision 1, 1 and 3 at 5, 1 at 9 (each item ref is its number). */
    private Ingest.Standings ingest(LandedRecords landed, int revision, List<FieldEvent> events) throws IOException {
        List<Integer> attendees = switch (revision) {
            case 1 -> List.of(1, 2, 3);
            case 5 -> List.of(1, 3);
            default -> List.of(1);
        };
        List<SourceRow> rows = new ArrayList<>();
        for (int n : attendees) {
            Map<String, String> values = new LinkedHashMap<>(Map.of("dialogue_id", "D-TEK-07", "attendee_no", Integer.toString(n),
                    "role", "member", "sex", "f", "revision", Integer.toString(revision)));
            rows.add(new SourceRow(Layout.DIALOGUE_ATTENDANCE, values, "dialogue.json:uuid:v" + revision + "#" + n, null,
                    IDENTITY, true));
        }
        MockProducer<String, FieldEvent> sent = new MockProducer<>(true, null, new StringSerializer(),
                TOPICS.events.valueSerde().serializer());
        MockProducer<String, RejectedRecord> rejected = new MockProducer<>(true, null, new StringSerializer(),
                TOPICS.rejected.valueSerde().serializer());
        Ingest ingest = new Ingest(converter, known, new EventPublisher(sent, rejected, TOPICS),
                new Progress(new PrintStream(OutputStream.nullOutputStream()), System::nanoTime), landed, false);
        Ingest.Result result = ingest.run(new FormExportSource("dialogue.json", "kobo", Layout.DIALOGUE_ATTENDANCE, rows),
                Layout.DIALOGUE_ATTENDANCE);
        assertEquals(0, result.rejected(), result.firstRejections().toString());
        sent.history().forEach(r -> events.add(r.value()));
        return result.standings();
    }
}
