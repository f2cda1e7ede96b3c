package org.fieldstream.producers;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.fieldstream.events.AggregateIds;
import org.fieldstream.events.AttendanceRecorded;
import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.DialogueAttended;
import org.fieldstream.events.DialogueHeld;
import org.fieldstream.events.DialogueKind;
import org.fieldstream.events.ExitReason;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.ParticipantEnrolled;
import org.fieldstream.events.ParticipantExited;
import org.fieldstream.events.RecordRetracted;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.SessionHeld;
import org.fieldstream.events.Sex;
import org.fieldstream.events.TrainingCohortRegistered;

/**
 * Validates one source row of one program and partner and turns it into a {@link FieldEvent}, or into
 * a rejection naming the field and the reason. Pure apart from reading {@link KnownAggregates}; the
 * caller teaches the registry what it publishes.
 *
 * <p>Rules: required columns present; numbers, dates and enum values well formed; every date within
 * the program's range (its start, its end when known) and within what ClickHouse stores
 * ({@value #ValueRules.FIRST_DATE}..{@value #ValueRules.LAST_DATE}), and every record date no later than today (Asia/Dhaka)
 * plus a tolerance; session numbers within 1..{@value #ValueRules.MAX_SESSIONS} and within the planned sessions of
 * a known cohort; org units well formed and, where the reference data is known, existing; free text
 * bounded and free of anything that looks like a phone number or national id and of the row's own
 * personal values (see {@link OwnPersonalData}); no control character in any value; retraction keys
 * checked by the same rules as the layout's own rows; cohort and dialogue ids
 * name this partner's own aggregates (see {@link AggregateIds}); {@code program_id}/{@code partner_id}
 * columns, when sent, equal to the ingest's. What is accepted here is what the sink can store.
 *
 * <p>{@code occurred_at} is the record's own date at the start of the day in Asia/Dhaka: start_date,
 * held_on, enrolled_on, exited_on; attendance takes its session's held_on and dialogue attendance its
 * dialogue's held_on when known; otherwise (and for exits without a date) the receive time.
 */
public final class RowConverter {

    public static final ZoneId ZONE = ZoneId.of("Asia/Dhaka");

    /** ClickHouse's Date and DateTime hold 1970-01-01..2105-12-31 on every release the sink writes to. */
    private final String programId;
    private final String partnerId;
    private final String source;
    private final ValueRules rules;
    private final Pseudonymizer pseudonymizer;
    private final KnownAggregates known;
    private final boolean rejectUnknown;
    private final Clock clock;

    /** A converter that rejects rows naming a cohort or dialogue it does not know. */
    public RowConverter(String programId, String partnerId, String source, LocalDate programStart,
                        Pseudonymizer pseudonymizer, KnownAggregates known, int toleranceDays, Clock clock) {
        this(programId, partnerId, source, programStart, pseudonymizer, known, toleranceDays, true, clock);
    }

    /**
     * @param rejectUnknown whether a row naming an unknown cohort or dialogue is rejected; when false it
     *                      is accepted unchecked against the aggregate (partners send enrolments before
     *                      the cohort file, and the log tolerates any arrival order), while a known
     *                      aggregate is still checked for owner and planned sessions
     */
    public RowConverter(String programId, String partnerId, String source, LocalDate programStart,
                        Pseudonymizer pseudonymizer, KnownAggregates known, int toleranceDays, boolean rejectUnknown,
                        Clock clock) {
        this(programId, partnerId, source, programStart, null, id -> true, pseudonymizer, known, toleranceDays,
                rejectUnknown, clock);
    }

    /**
     * A converter checking against the catalog's reference data: the program's start and end, and the
     * org units when the catalog knows any.
     */
    public RowConverter(String programId, String partnerId, String source, ProgramCatalog catalog,
                        Pseudonymizer pseudonymizer, KnownAggregates known, int toleranceDays, boolean rejectUnknown,
                        Clock clock) {
        this(programId, partnerId, source,
                catalog.programStart(programId).orElseThrow(() -> new IllegalStateException("unknown program " + programId)),
                catalog.programEnd(programId).orElse(null), catalog::orgUnitExists, pseudonymizer, known, toleranceDays,
                rejectUnknown, clock);
    }

    private RowConverter(String programId, String partnerId, String source, LocalDate programStart, LocalDate programEnd,
                         Predicate<String> orgUnitExists, Pseudonymizer pseudonymizer, KnownAggregates known,
                         int toleranceDays, boolean rejectUnknown, Clock clock) {
        if (!pseudonymizer.programId().equals(programId)) {
            throw new IllegalArgumentException("pseudonymizer of " + pseudonymizer.programId() + " used for " + programId);
        }
        this.programId = programId;
        this.partnerId = partnerId;
        this.source = source;
        this.rules = new ValueRules(programStart, programEnd, orgUnitExists, toleranceDays, clock);
        this.pseudonymizer = pseudonymizer;
        this.known = known;
        this.rejectUnknown = rejectUnknown;
        this.clock = clock;
    }

    public String programId() {
        return programId;
    }

    public String partnerId() {
        return partnerId;
    }

    public String source() {
        return source;
    }

    public Outcome convert(SourceRow row) {
        Instant receivedAt = clock.instant();
        try {
            return new Outcome.Accepted(build(row, receivedAt));
        } catch (RowRejection r) {
            return new Outcome.Rejected(reject(row, r.field(), r.code(), r.reason(), receivedAt), r.isForeign());
        }
    }

    /**
     * The rejection a row claiming another partner's or program's data gets, or null: what
     * {@link #convert} would answer for it, found without converting (an HTTP batch is checked for such
     * rows before anything of it is published).
     */
    public Outcome.Rejected foreignClaim(SourceRow row) {
        if (row.malformed() != null) {
            return null;
        }
        try {
            checkClaimedOwner(new Cells(row.values(), Redaction.of(row)));
            return null;
        } catch (RowRejection r) {
            return new Outcome.Rejected(reject(row, r.field(), r.code(), r.reason(), clock.instant()), true);
        }
    }

    /**
     * A rejection of a row: its raw values and the reason, both with every personal value hidden (by
     * column, by value and by pattern; see {@link Redaction}).
     */
    public RejectedRecord reject(SourceRow row, String field, String reason, Instant at) {
        return reject(row, field, null, reason, at);
    }

    /** As {@link #reject(SourceRow, String, String, Instant)}, with the rule's reason code (null: none). */
    public RejectedRecord reject(SourceRow row, String field, String code, String reason, Instant at) {
        Redaction redaction = Redaction.of(row);
        return RejectedRecord.newBuilder()
                .setProgramId(programId).setPartnerId(partnerId).setSource(source)
                .setSourceRef(row.sourceRef()).setField(field).setReasonCode(code).setReason(redaction.text(reason))
                .setRaw(RawRow.render(row.values(), redaction)).setRejectedAt(at)
                .build();
    }

    private FieldEvent build(SourceRow row, Instant receivedAt) {
        if (row.malformed() != null) {
            String field = row.malformedField() != null ? row.malformedField() : row.layout() == null ? "layout" : null;
            throw new RowRejection(field, null, row.malformed());
        }
        Cells cells = new Cells(row.values(), Redaction.of(row));
        checkClaimedOwner(cells);
        cells.checkNoControlCharacters();
        Integer sentRevision = cells.optionalInt("revision", 1, Integer.MAX_VALUE);
        int revision = sentRevision == null ? 1 : sentRevision;
        Draft draft = cells.flag("retracted") ? retraction(row.layout(), cells) : draft(row.layout(), cells);
        String root = RecordIds.rootId(programId, partnerId, row.layout().id(), identity(row, draft));
        LocalDate day = draft.occurredOn;
        return FieldEvent.newBuilder()
                .setEventId(RecordIds.eventId(partnerId, root, revision, PayloadBytes.of((SpecificRecord) draft.payload)))
                .setRootId(root).setRevision(revision)
                .setProgramId(programId).setPartnerId(partnerId).setOrgUnitId(draft.orgUnitId)
                .setAggregateId(draft.aggregateId)
                .setOccurredAt(day == null ? receivedAt : day.atStartOfDay(ZONE).toInstant())
                .setReceivedAt(receivedAt)
                .setSource(source).setSourceRef(sourceRef(row))
                .setPayload(draft.payload)
                .build();
    }

    /**
     * The submission a form row's record belongs to (see {@link Submissions}), or null for a row that
     * is its own record (files, pushes, a submission giving one row). Malformed rows of a submission
     * have one too: a version whose rows were all rejected still supersedes the earlier version's.
     */
    public Submissions.Version submission(SourceRow row) {
        if (row.identity() == null || !row.identityPerKey() || row.layout() == null) {
            return null;
        }
        String revision = row.get("revision");
        if (revision == null || !revision.chars().allMatch(Character::isDigit) || revision.length() > 9) {
            return null;
        }
        return new Submissions.Version(RecordIds.rootId(programId, partnerId, row.layout().id(), row.identity()),
                Integer.parseInt(revision));
    }

    private String sourceRef(SourceRow row) {
        Submissions.Version submission = submission(row);
        return submission == null ? row.sourceRef() : Submissions.tag(row.sourceRef(), submission.key());
    }

    /**
     * The {@code RecordRetracted} that voids a record of an earlier version of a submission that its
     * latest version no longer gives, at the latest version's revision; its source ref names the
     * submission version being ingested.
     */
    public FieldEvent supersedingRetraction(Submissions.Tied record, String submissionKey, int revision, String sourceRef) {
        Instant receivedAt = clock.instant();
        RecordRetracted payload = RecordRetracted.newBuilder().setReason(Submissions.REASON).build();
        return FieldEvent.newBuilder()
                .setEventId(RecordIds.eventId(partnerId, record.rootId(), revision, PayloadBytes.of(payload)))
                .setRootId(record.rootId()).setRevision(revision)
                .setProgramId(programId).setPartnerId(partnerId).setOrgUnitId(record.orgUnitId())
                .setAggregateId(record.aggregateId())
                .setOccurredAt(receivedAt).setReceivedAt(receivedAt)
                .setSource(source).setSourceRef(Submissions.tag(sourceRef, submissionKey))
                .setPayload(payload)
                .build();
    }

    /**
     * The natural key, with person keys replaced by their pseudonyms so that a root id cannot be
     * recomputed from a guessed person key; or the source's own identity (a Kobo root uuid).
     */
    private static String identity(SourceRow row, Draft draft) {
        String natural = RecordIds.joinKey(draft.naturalKey);
        if (row.identity() == null) {
            return natural;
        }
        return row.identityPerKey() ? RecordIds.joinKey(row.identity(), natural) : row.identity();
    }

    /** What a layout contributes to the envelope; natural key values with person keys already pseudonymised. */
    private record Draft(String aggregateId, String orgUnitId, LocalDate occurredOn, String[] naturalKey, Object payload) {
    }

    private Draft draft(Layout layout, Cells cells) {
        return switch (layout) {
            case COHORTS -> cohort(cells);
            case DIALOGUES -> dialogue(cells);
            case SESSIONS -> session(cells);
            case ENROLMENTS -> enrolment(cells);
            case ATTENDANCE -> attendance(cells);
            case EXITS -> exit(cells);
            case DIALOGUE_ATTENDANCE -> dialogueAttendance(cells);
        };
    }

    private Draft cohort(Cells cells) {
        String cohortId = cells.requiredId("cohort_id");
        String topic = cells.text("topic", cells.required("topic"), ValueRules.MAX_TEXT);
        int planned = cells.requiredInt("planned_sessions", 1, ValueRules.MAX_SESSIONS);
        LocalDate start = rules.inRange("start_date", cells.requiredDate("start_date"));
        String orgUnit = rules.orgUnit(cells);
        LocalDate end = cells.optionalDate("end_date");
        if (end != null) {
            if (end.isBefore(start)) {
                throw new RowRejection("end_date", "end_before_start", end + " is before start_date " + start);
            }
            rules.withinProgram("end_date", end);
        }
        String targetGroup = cells.text("target_group", cells.optional("target_group"), ValueRules.MAX_TEXT);
        TrainingCohortRegistered payload = TrainingCohortRegistered.newBuilder()
                .setCohortId(cohortId).setTopic(topic).setPlannedSessions(planned).setStartDate(start)
                .setEndDate(end).setTargetGroup(targetGroup).build();
        return new Draft(aggregate(cohortId), orgUnit, start, new String[] {cohortId}, payload);
    }

    private Draft dialogue(Cells cells) {
        String dialogueId = cells.requiredId("dialogue_id");
        DialogueKind kind = cells.requiredEnum("kind", ValueRules.KINDS, ValueRules.names(ValueRules.KINDS));
        String topic = cells.text("topic", cells.required("topic"), ValueRules.MAX_TEXT);
        LocalDate heldOn = rules.inRange("held_on", cells.requiredDate("held_on"));
        String orgUnit = rules.orgUnit(cells);
        DialogueHeld payload = DialogueHeld.newBuilder()
                .setDialogueId(dialogueId).setKind(kind).setTopic(topic).setHeldOn(heldOn).build();
        return new Draft(aggregate(dialogueId), orgUnit, heldOn, new String[] {dialogueId}, payload);
    }

    private Draft session(Cells cells) {
        String cohortId = cells.requiredId("cohort_id");
        KnownAggregates.Cohort cohort = ownedCohort(cells, cohortId);
        int session = sessionNumber(cells, cohort);
        LocalDate heldOn = rules.inRange("held_on", cells.requiredDate("held_on"));
        SessionHeld payload = SessionHeld.newBuilder().setCohortId(cohortId).setSessionNumber(session).setHeldOn(heldOn).build();
        return new Draft(aggregate(cohortId), orgUnit(cohort), heldOn, new String[] {cohortId, Integer.toString(session)}, payload);
    }

    private Draft enrolment(Cells cells) {
        String cohortId = cells.requiredId("cohort_id");
        KnownAggregates.Cohort cohort = ownedCohort(cells, cohortId);
        String personId = personId(cells.required("person_key"));
        Sex sex = cells.requiredEnum("sex", ValueRules.SEXES, ValueRules.SEX_NAMES);
        LocalDate enrolledOn = rules.inRange("enrolled_on", cells.requiredDate("enrolled_on"));
        Integer birthYear = cells.optionalInt("birth_year", 1900, LocalDate.now(clock.withZone(ZONE)).getYear());
        Integer age = cells.optionalInt("age", 0, 120);
        ParticipantEnrolled payload = ParticipantEnrolled.newBuilder().setCohortId(cohortId).setPersonId(personId)
                .setSex(sex).setBirthYear(birthYear).setAge(age).setEnrolledOn(enrolledOn).build();
        return new Draft(aggregate(cohortId), orgUnit(cohort), enrolledOn, new String[] {cohortId, personId}, payload);
    }

    private Draft attendance(Cells cells) {
        String cohortId = cells.requiredId("cohort_id");
        KnownAggregates.Cohort cohort = ownedCohort(cells, cohortId);
        int session = sessionNumber(cells, cohort);
        String personId = personId(cells.required("person_key"));
        AttendanceStatus status = cells.requiredEnum("status", ValueRules.STATUSES, ValueRules.names(ValueRules.STATUSES));
        AttendanceRecorded payload = AttendanceRecorded.newBuilder().setCohortId(cohortId).setSessionNumber(session)
                .setPersonId(personId).setStatus(status).build();
        return new Draft(aggregate(cohortId), orgUnit(cohort), known.sessionDate(aggregate(cohortId), session),
                new String[] {cohortId, Integer.toString(session), personId}, payload);
    }

    private Draft exit(Cells cells) {
        String cohortId = cells.requiredId("cohort_id");
        KnownAggregates.Cohort cohort = ownedCohort(cells, cohortId);
        String personId = personId(cells.required("person_key"));
        ExitReason reason = cells.requiredEnum("reason", ValueRules.REASONS, ValueRules.names(ValueRules.REASONS));
        LocalDate exitedOn = cells.optionalDate("exited_on");
        if (exitedOn != null) {
            rules.inRange("exited_on", exitedOn);
        }
        ParticipantExited payload = ParticipantExited.newBuilder().setCohortId(cohortId).setPersonId(personId)
                .setReason(reason).setExitedOn(exitedOn).build();
        return new Draft(aggregate(cohortId), orgUnit(cohort), exitedOn, new String[] {cohortId, personId}, payload);
    }

    private Draft dialogueAttendance(Cells cells) {
        String dialogueId = cells.requiredId("dialogue_id");
        KnownAggregates.Dialogue dialogue = ownedDialogue(cells, dialogueId);
        String attendee = Integer.toString(cells.requiredInt("attendee_no", 1, ValueRules.MAX_ATTENDEE_NO));
        String role = cells.text("role", cells.required("role"), ValueRules.MAX_TEXT);
        Sex sex = cells.requiredEnum("sex", ValueRules.SEXES, ValueRules.SEX_NAMES);
        String personKey = cells.optional("person_key");
        Integer age = cells.optionalInt("age", 0, 120);
        DialogueAttended payload = DialogueAttended.newBuilder().setDialogueId(dialogueId)
                .setPersonId(personKey == null ? null : personId(personKey)).setRole(role).setSex(sex).setAge(age).build();
        String orgUnit = dialogue == null ? null : dialogue.orgUnitId();
        LocalDate heldOn = dialogue == null ? null : dialogue.heldOn();
        return new Draft(aggregate(dialogueId), orgUnit, heldOn, new String[] {dialogueId, attendee}, payload);
    }

    /**
     * A retraction needs only the natural key, checked by the same rules as the layout's own rows (and
     * numbers written as the layout writes them, so {@code 01} retracts session 1); the aggregate need
     * not be known (it may have been forgotten).
     */
    private Draft retraction(Layout layout, Cells cells) {
        List<String> key = new ArrayList<>();
        for (String column : layout.naturalKey()) {
            key.add(naturalKeyValue(layout, column, cells));
        }
        String aggregateId = aggregate(key.get(0));
        String orgUnit;
        if (layout.aggregateColumn().equals("cohort_id")) {
            orgUnit = orgUnit(known.cohort(aggregateId));
        } else {
            KnownAggregates.Dialogue dialogue = known.dialogue(aggregateId);
            orgUnit = dialogue == null ? null : dialogue.orgUnitId();
        }
        RecordRetracted payload = RecordRetracted.newBuilder().setReason(null).build();
        return new Draft(aggregateId, orgUnit, null, key.toArray(new String[0]), payload);
    }

    private String naturalKeyValue(Layout layout, String column, Cells cells) {
        if (column.equals(layout.aggregateColumn())) {
            return cells.requiredId(column);
        }
        return switch (column) {
            case "person_key" -> personId(cells.required(column));
            case "session_number" -> Integer.toString(cells.requiredInt(column, 1, ValueRules.MAX_SESSIONS));
            case "attendee_no" -> Integer.toString(cells.requiredInt(column, 1, ValueRules.MAX_ATTENDEE_NO));
            default -> throw new IllegalStateException("no rule for natural key column " + column);
        };
    }

    /** The aggregate id of one of this partner's cohorts or dialogues: namespaced, see {@link AggregateIds}. */
    private String aggregate(String localId) {
        return AggregateIds.of(programId, partnerId, localId);
    }

    private static String orgUnit(KnownAggregates.Cohort cohort) {
        return cohort == null ? null : cohort.orgUnitId();
    }

    /**
     * One of this partner's cohorts; null when unknown and unknown references are accepted. The
     * registry is keyed by namespaced id, so another partner's cohort of the same id is simply unknown
     * here: the reason never tells whether someone else uses the id.
     */
    private KnownAggregates.Cohort ownedCohort(Cells cells, String cohortId) {
        KnownAggregates.Cohort cohort = known.cohort(aggregate(cohortId));
        if (cohort == null && rejectUnknown) {
            throw new RowRejection("cohort_id", "unknown_cohort", "unknown cohort " + cells.show("cohort_id", cohortId) + " of partner " + partnerId
                    + " (register it in a cohorts file first)");
        }
        return cohort;
    }

    private KnownAggregates.Dialogue ownedDialogue(Cells cells, String dialogueId) {
        KnownAggregates.Dialogue dialogue = known.dialogue(aggregate(dialogueId));
        if (dialogue == null && rejectUnknown) {
            throw new RowRejection("dialogue_id", "unknown_dialogue", "unknown dialogue " + cells.show("dialogue_id", dialogueId) + " of partner " + partnerId
                    + " (register it in a dialogues file first)");
        }
        return dialogue;
    }

    private void checkClaimedOwner(Cells cells) {
        String program = cells.optional("program_id");
        if (program != null && !program.equals(programId)) {
            throw RowRejection.foreign("program_id", "other_program", "row is for program " + cells.show("program_id", program)
                    + ", this ingest is for " + programId);
        }
        String partner = cells.optional("partner_id");
        if (partner != null && !partner.equals(partnerId)) {
            throw RowRejection.foreign("partner_id", "other_partner", "row is for partner " + cells.show("partner_id", partner)
                    + ", this ingest is for " + partnerId);
        }
    }

    /** 1..{@value #ValueRules.MAX_SESSIONS} (planned_sessions' own bound) always, and within a known cohort's plan. */
    private int sessionNumber(Cells cells, KnownAggregates.Cohort cohort) {
        int session = cells.requiredInt("session_number", 1, ValueRules.MAX_SESSIONS);
        if (cohort != null && session > cohort.plannedSessions()) {
            throw new RowRejection("session_number", "session_above_planned", session + " is outside 1.." + cohort.plannedSessions()
                    + " (the cohort's planned sessions)");
        }
        return session;
    }

    private String personId(String personKey) {
        if (personKey.length() > ValueRules.MAX_PERSON_KEY) {
            throw new RowRejection("person_key", "too_long", "longer than " + ValueRules.MAX_PERSON_KEY + " characters");
        }
        return pseudonymizer.personId(personKey);
    }
}
