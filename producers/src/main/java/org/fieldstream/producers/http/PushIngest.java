package org.fieldstream.producers.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.fieldstream.producers.EventPublisher;
import org.fieldstream.producers.KnownAggregates;
import org.fieldstream.producers.Layout;
import org.fieldstream.producers.Outcome;
import org.fieldstream.producers.Pseudonymizer;
import org.fieldstream.producers.RowConverter;
import org.fieldstream.producers.RowSource;
import org.fieldstream.producers.SourceRow;
import org.fieldstream.producers.UnusableInputException;
import org.fieldstream.producers.csv.CsvRowSource;
import org.fieldstream.producers.json.JsonArraySource;
import org.fieldstream.producers.json.JsonLinesSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pushed batch, received whole into a file, to Kafka, without HTTP: read once to check it (a body
 * that cannot be read as its type, or a row claiming another partner's or program's data, refuses the
 * batch with nothing published), then again row by row through validation to Kafka. Nothing holds
 * more than one row at a time, and the result lists the first rejected rows and counts the rest.
 */
final class PushIngest {

    private static final Logger LOG = LoggerFactory.getLogger(PushIngest.class);

    /** A received body and what it is for. */
    record Batch(Path body, String kind, Layout layout, String program, String partner, String requestId) {
    }

    /** What became of a batch. */
    sealed interface Result permits Unreadable, Foreign, NotAcknowledged, Done {
    }

    /** The body cannot be read as its type, or holds no rows; nothing was published. */
    record Unreadable(String reason) implements Result {
    }

    /** Rows claim another partner's or program's data; nothing was published. */
    record Foreign(String requestId, long rows, List<Outcome.Rejected> listed) implements Result {
    }

    /** Kafka did not acknowledge every record; sending the batch again is safe (ids are deterministic). */
    record NotAcknowledged(long failed, long rows) implements Result {
    }

    /** Counts of what Kafka acknowledged, and the first rejected rows. */
    record Done(String requestId, long rows, long accepted, long rejected, List<Outcome.Rejected> listed) implements Result {
    }

    private final BatchHandler.PushContext context;

    PushIngest(BatchHandler.PushContext context) {
        this.context = context;
    }

    Result ingest(Batch batch, Pseudonymizer pseudonymizer) throws IOException {
        KnownAggregates batchView = context.known().overlay(context.knownMaxEntries());
        RowConverter converter = new RowConverter(batch.program(), batch.partner(), "api", context.catalog(), pseudonymizer,
                batchView, context.toleranceDays(), context.rejectUnknown(), context.clock());
        Result refused = check(batch, converter);
        if (refused != null) {
            return refused;
        }
        EventPublisher publisher = new EventPublisher(context.events(), context.rejected(), context.topics());
        EventPublisher.Tally tally = new EventPublisher.Tally();
        List<Outcome.Rejected> listed = new ArrayList<>();
        long rows = 0;
        try (RowSource source = open(batch)) {
            for (SourceRow row = source.next(); row != null; row = source.next()) {
                rows++;
                Outcome outcome = converter.convert(row);
                if (outcome instanceof Outcome.Accepted a) {
                    batchView.learn(a.event());
                } else if (listed.size() < context.limits().replyRejections()) {
                    listed.add((Outcome.Rejected) outcome);
                }
                publisher.publish(outcome, tally);
            }
        } catch (UnusableInputException e) {
            throw new IllegalStateException("a body that passed its check could not be read again", e);
        } finally {
            tally.await();
        }
        if (tally.failed() > 0) {
            LOG.error("batch {} not acknowledged by Kafka: {} of {} rows", batch.requestId(), tally.failed(), rows);
            return new NotAcknowledged(tally.failed(), rows);
        }
        batchView.teach(context.known());
        LOG.debug("batch {} of {} for {}: {} rows", batch.requestId(), batch.partner(), batch.program(), rows);
        return new Done(batch.requestId(), rows, tally.accepted(), tally.rejected(), listed);
    }

    /** The first reading; the refusal, or null when the batch may go on. */
    private Result check(Batch batch, RowConverter converter) throws IOException {
        long rows = 0;
        long foreign = 0;
        List<Outcome.Rejected> listed = new ArrayList<>();
        try (RowSource source = open(batch)) {
            for (SourceRow row = source.next(); row != null; row = source.next()) {
                rows++;
                Outcome.Rejected claim = converter.foreignClaim(row);
                if (claim != null) {
                    foreign++;
                    if (listed.size() < context.limits().replyRejections()) {
                        listed.add(claim);
                    }
                }
            }
        } catch (UnusableInputException e) {
            return new Unreadable(e.getMessage());
        } catch (JsonLinesSource.MalformedBody e) {
            return new Unreadable("malformed JSON: " + e.getMessage());
        }
        if (rows == 0) {
            return new Unreadable("the body holds no rows");
        }
        return foreign == 0 ? null : new Foreign(batch.requestId(), foreign, listed);
    }

    private RowSource open(Batch batch) throws IOException, UnusableInputException {
        InputStream in = Files.newInputStream(batch.body());
        int maxRow = context.limits().maxRowBytes();
        try {
            return switch (batch.kind()) {
                case "csv" -> CsvRowSource.open(in, batch.requestId(), batch.layout(), true, maxRow);
                case "jsonl" -> new JsonLinesSource(in, batch.requestId(), batch.layout(), true, false, maxRow);
                default -> firstNonBlank(batch.body()) == '['
                        ? JsonArraySource.open(in, batch.requestId(), batch.layout(), maxRow)
                        : new JsonLinesSource(in, batch.requestId(), batch.layout(), true, true, maxRow);
            };
        } catch (IOException | UnusableInputException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static int firstNonBlank(Path body) throws IOException {
        try (InputStream in = Files.newInputStream(body)) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (!Character.isWhitespace(b) && b != 0xEF && b != 0xBB && b != 0xBF) {
                    return b;
                }
            }
            return -1;
        }
    }
}
