package org.fieldstream.producers;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.fieldstream.events.FieldEvent;

/**
 * Runs rows through validation to the publisher: each row becomes an event or a rejection, never a
 * stop. Accepted cohorts, dialogues and sessions are learnt at once, so later rows of the same ingest
 * can refer to them. Rows are read and validated on the caller's thread and published, in order, on a
 * {@link BackgroundPublisher}'s; {@link #run} returns once Kafka has answered for every row, so its
 * counts are what Kafka acknowledged.
 *
 * <p>Rows of one form submission are held until the submission's last row is read; then the records
 * of its other versions that its latest version does not give are retracted (see
 * {@link LandedRecords#superseded}) and sent first, then the submission's rows.
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

    /**
     * Accepted rows of one input by how they stand against the events topic (see {@link LandedRecords});
     * {@code retracted}: records of other versions of the input's submissions that their latest version
     * no longer gives, retracted by this run; {@code waiting}: accepted rows of a cohort or dialogue whose
     * registration was rejected in this run, which count nowhere until a registration lands.
     */
    public record Standings(long fresh, long alreadyThere, long superseded, long retracted, long waiting) {

        public Standings(long fresh, long alreadyThere, long superseded) {
            this(fresh, alreadyThere, superseded, 0, 0);
        }
    }

    public static final int KEPT_REJECTIONS = 20;

    private final RowConverter converter;
    private final KnownAggregates known;
    private final EventPublisher publisher;
    private final Progress progress;

    private final LandedRecords landed;
    private final boolean dryRun;
    private final RejectedRegistrations registrations;

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
        this(converter, known, publisher, progress, landed, dryRun, new RejectedRegistrations());
    }

    /** @param registrations the run's rejected registrations, shared by its inputs */
    public Ingest(RowConverter converter, KnownAggregates known, EventPublisher publisher, Progress progress,
                  LandedRecords landed, boolean dryRun, RejectedRegistrations registrations) {
        this.registrations = registrations;
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
        long waiting = 0;
        EventPublisher.Tally tally = new EventPublisher.Tally();
        EventPublisher.Tally retractions = new EventPublisher.Tally();
        Set<Outcome> superseding = ConcurrentHashMap.newKeySet();
        try (BackgroundPublisher sender = new BackgroundPublisher(outcome -> {
            EventPublisher.Tally counted = superseding.remove(outcome) ? retractions : tally;
            if (dryRun) {
                counted.sent();
                counted.completed(outcome instanceof Outcome.Accepted, null);
            } else {
                publisher.publish(outcome, counted);
            }
        })) {
            Held held = null;
            for (SourceRow row = source.next(); row != null; row = source.next()) {
                rows++;
                Submissions.Version version = landed == null ? null : converter.submission(row);
                if (held != null && !held.version.equals(version)) {
                    held.send(sender, superseding);
                    held = null;
                }
                Outcome outcome = converter.convert(row);
                if (outcome instanceof Outcome.Accepted a) {
                    known.learn(a.event());
                    if (landed != null) {
                        standings[landed.standing(a.event()).ordinal()]++;
                    }
                    if (registrations.waits(a.event(), known)) {
                        waiting++;
                    }
                } else {
                    registrations.rejected(row, converter.programId(), converter.partnerId());
                    if (first.size() < KEPT_REJECTIONS) {
                        first.add(((Outcome.Rejected) outcome).describe());
                    }
                }
                if (version != null) {
                    if (held == null) {
                        held = new Held(version, Submissions.submissionRef(row.sourceRef()));
                    }
                    held.outcomes.add(outcome);
                } else {
                    sender.publish(outcome);
                }
                progress.row(outcome instanceof Outcome.Accepted);
            }
            if (held != null) {
                held.send(sender, superseding);
            }
            sender.finish();
        }
        tally.await();
        retractions.await();
        Standings counted = landed == null ? null : new Standings(standings[LandedRecords.Standing.NEW.ordinal()],
                standings[LandedRecords.Standing.ALREADY_THERE.ordinal()], standings[LandedRecords.Standing.SUPERSEDED.ordinal()],
                retractions.accepted(), waiting);
        return new Result(source.name(), layout, rows, tally.accepted(), tally.rejected(), List.copyOf(first),
                tally.failed() + retractions.failed(), counted);
    }

    /** The outcomes of one version of a submission, held until its last row is read. */
    private final class Held {
        final Submissions.Version version;
        final String ref;
        final List<Outcome> outcomes = new ArrayList<>();

        Held(Submissions.Version version, String ref) {
            this.version = version;
            this.ref = ref;
        }

        /** Retracts what the submission's latest version does not give, then sends the version's rows. */
        void send(BackgroundPublisher sender, Set<Outcome> superseding) throws java.io.InterruptedIOException {
            LandedRecords.Superseded superseded = landed.superseded(version);
            for (Submissions.Tied record : superseded.records()) {
                FieldEvent retraction = converter.supersedingRetraction(record, version.key(), superseded.revision(), ref);
                landed.learn(retraction);
                Outcome outcome = new Outcome.Accepted(retraction);
                superseding.add(outcome);
                sender.publish(outcome);
            }
            for (Outcome outcome : outcomes) {
                sender.publish(outcome);
            }
        }
    }
}
