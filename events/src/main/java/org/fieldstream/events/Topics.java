package org.fieldstream.events;

import java.util.List;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.OutreachCount;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;
import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.Partner;
import org.fieldstream.reference.Program;
import org.fieldstream.reference.Target;

/**
 * Every topic of the pipeline. Names are {@code <prefix>fieldstream.<name>}; the prefix is empty in
 * production and lets tests and benchmarks share one broker without sharing topics.
 */
public final class Topics {

    public static final Topics DEFAULT = new Topics("");

    private final String prefix;

    /** The log: every accepted field event, keyed by aggregate (cohort or dialogue) id. */
    public final Topic<String, FieldEvent> events;
    /** Source rows that did not become events, keyed by partner id. */
    public final Topic<String, RejectedRecord> rejected;
    /**
     * Records a stage could not process (streams: undecodable input; sink: rows ClickHouse refuses):
     * the original key and value bytes, with the source topic, partition, offset and the reason in
     * headers. Plain bytes, so anything can land here.
     */
    public final Topic<byte[], byte[]> deadLetters;

    public final Topic<String, CohortRetention> cohortRetention;
    public final Topic<String, CohortRetention> cohortRetentionByGroup;
    public final Topic<String, ParticipantProgress> participantProgress;
    public final Topic<String, RetentionCurvePoint> retentionCurve;
    public final Topic<String, OutreachCount> outreach;
    public final Topic<String, DialogueSummary> dialogues;
    public final Topic<String, DialogueAttendance> dialogueAttendance;

    /** Reference data, compacted, keyed by id (see each schema's doc for its key). */
    public final Topic<String, Program> programs;
    public final Topic<String, Partner> partners;
    public final Topic<String, OrgUnit> orgUnits;
    public final Topic<String, Target> targets;
    /**
     * The fingerprint of each program's pseudonymisation secret, compacted, keyed by program id: what
     * ties every person id on the log to one secret (see {@code SecretFingerprints} in producers).
     */
    public final Topic<String, String> secretFingerprints;

    public Topics(String prefix) {
        this.prefix = prefix;
        Serde<String> keys = Serdes.String();
        events = new Topic<>(name("events"), keys, AvroSerde.of(FieldEvent.class));
        rejected = new Topic<>(name("rejected"), keys, AvroSerde.of(RejectedRecord.class));
        deadLetters = new Topic<>(name("dead-letters"), Serdes.ByteArray(), Serdes.ByteArray());
        Serde<CohortRetention> retention = AvroSerde.of(CohortRetention.class);
        cohortRetention = new Topic<>(name("metrics.cohort-retention"), keys, retention);
        cohortRetentionByGroup = new Topic<>(name("metrics.cohort-retention-by-group"), keys, retention);
        participantProgress = new Topic<>(name("metrics.participant-progress"), keys, AvroSerde.of(ParticipantProgress.class));
        retentionCurve = new Topic<>(name("metrics.retention-curve"), keys, AvroSerde.of(RetentionCurvePoint.class));
        outreach = new Topic<>(name("metrics.outreach"), keys, AvroSerde.of(OutreachCount.class));
        dialogues = new Topic<>(name("metrics.dialogues"), keys, AvroSerde.of(DialogueSummary.class));
        dialogueAttendance = new Topic<>(name("metrics.dialogue-attendance"), keys, AvroSerde.of(DialogueAttendance.class));
        programs = new Topic<>(name("reference.programs"), keys, AvroSerde.of(Program.class));
        partners = new Topic<>(name("reference.partners"), keys, AvroSerde.of(Partner.class));
        orgUnits = new Topic<>(name("reference.org-units"), keys, AvroSerde.of(OrgUnit.class));
        targets = new Topic<>(name("reference.targets"), keys, AvroSerde.of(Target.class));
        secretFingerprints = new Topic<>(name("identity.secret-fingerprints"), keys, Serdes.String());
    }

    public String prefix() {
        return prefix;
    }

    /** Full name of a topic of this namespace, e.g. {@code name("events")}. */
    public String name(String local) {
        return prefix + "fieldstream." + local;
    }

    /** Compacted metric topics: upserts keyed by the metric's grain. */
    public List<Topic<String, ?>> metrics() {
        return List.of(cohortRetention, cohortRetentionByGroup, participantProgress, retentionCurve,
                outreach, dialogues, dialogueAttendance);
    }

    /**
     * Every topic that cannot be rebuilt from the others, by name: the log topics (events, rejected,
     * dead letters), the reference topics and the secret fingerprints. A backup holds these; metric
     * topics and the streams' internal topics are rebuilt from them.
     */
    public List<String> originals() {
        List<String> names = new java.util.ArrayList<>(List.of(events.name(), rejected.name(), deadLetters.name()));
        reference().forEach(t -> names.add(t.name()));
        names.add(secretFingerprints.name());
        return List.copyOf(names);
    }

    /** Compacted reference topics. */
    public List<Topic<String, ?>> reference() {
        return List.of(programs, partners, orgUnits, targets);
    }
}
