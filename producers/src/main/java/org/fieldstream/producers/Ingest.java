package org.fieldstream.producers;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs rows through validation to the publisher: each row becomes an event or a rejection, never a
 * stop. Accepted cohorts, dialogues and sessions are learnt at once, so later rows of the same ingest
 * can refer to them. Rows are read and validated on the caller's thread and published, in order, on a
 * {@link BackgroundPublisher}'s; {@link #run} returns once Kafka has answered for every row, so its
 * counts are what Kafka acknowledged.
 */
public final class Ingest {

    /**
     * Counts of one input: rows read; events and rejections Kafka acknowledged; sends it did not
     * ({@code failed}). {@code firstRejections} holds up to {@link #KEPT_REJECTIONS} descriptions.
     */
    public record Result(String name, Layout layout, long rows, long accepted, long rejected, List<String> firstRejections,
                         long failed, Standings standings) {

        public Result(String name, Layout layout, long rows, long accepted, long rejected, List<String> firstRejections,
                      long failed) {
            this(name, layout, rows, accepted, rejected, firstRejections, failed, null);
        }

        public Result(String name, Layout layout, long rows, long accepted, long rejected, List<String> firstRejections) {
            this(name, layout, rows, accepted, rejected, firstRejections, 0);
        }
    }

    /** Accepted rows of one input by how they stand against the events topic (see {@link LandedRecords}). */
    public record Standings(long fresh, long alreadyThere, long superseded) {
    }

    public static final int KEPT_REJECTIONS = 20;

    private final RowConverter converter;
    private final KnownAggregates known;
    private final EventPublisher publisher;
    private final Progress progress;

    private final LandedRecords landed;
    private final boolean dryRun;

    public Ingest(RowConverter converter, KnownAggregates known, EventPublisher publisher, Progress progress) {
        this(converter, known, publisher, progress, null, false);
    }

    /**
     * @param landed what the events topic holds, to count accepted rows as new, already there or
     *               superseded; or null
     * @param dryRun whether to read, validate and count only: nothing is sent
     */
    public Ingest(RowConverter converter, KnownAggregates known, EventPublisher publisher, Progress progress,
                  LandedRecords landed, boolean dryRun) {
        this.converter = converter;
        this.known = known;
        this.publisher = publisher;
        this.progress = progress;
        this.landed = landed;
        this.dryRun = dryRun;
    }

    public Result run(RowSource source, Layout layout) throws IOException {
        long rows = 0;
        List<String> first = new ArrayList<>();
        long[] standings = new long[LandedRecords.Standing.values().length];
        EventPublisher.Tally tally = new EventPublisher.Tally();
        try (BackgroundPublisher sender = new BackgroundPublisher(outcome -> {
            if (dryRun) {
                tally.sent();
                tally.completed(outcome instanceof Outcome.Accepted, null);
            } else {
                publisher.publish(outcome, tally);
            }
        })) {
            for (SourceRow row = source.next(); row != null; row = source.next()) {
                rows++;
                Outcome outcome = converter.convert(row);
                if (outcome instanceof Outcome.Accepted a) {
                    known.learn(a.event());
                    if (landed != null) {
                        standings[landed.standing(a.event()).ordinal()]++;
                    }
                } else if (first.size() < KEPT_REJECTIONS) {
                    first.add(((Outcome.Rejected) outcome).describe());
                }
                sender.publish(outcome);
                progress.row(outcome instanceof Outcome.Accepted);
            }
            sender.finish();
        }
        tally.await();
        Standings counted = landed == null ? null : new Standings(standings[LandedRecords.Standing.NEW.ordinal()],
                standings[LandedRecords.Standing.ALREADY_THERE.ordinal()], standings[LandedRecords.Standing.SUPERSEDED.ordinal()]);
        return new Result(source.name(), layout, rows, tally.accepted(), tally.rejected(), List.copyOf(first), tally.failed(),
                counted);
    }
}
