-- A cohort or dialogue is identified by its program, its partner and the partner's own id (the
-- events' aggregate_id is <program>/<partner>/<id>): two partners may use the same cohort id and
-- have two cohorts. The metric tables were sorted by cohort_id / dialogue_id alone, so two such
-- cohorts would replace each other's rows; they are rebuilt sorted by program and partner first.
-- Each table: copy into a new table with the new sorting key, swap the names, drop the old one.
-- Every step can run again after a failure part way (a repeated copy only adds rows that
-- ReplacingMergeTree(version) folds into the same FINAL row). Views name tables, so they read the
-- new tables without change.

DROP TABLE IF EXISTS ${db}.cohort_retention_unkeyed;

CREATE TABLE IF NOT EXISTS ${db}.cohort_retention_keyed (
    program_id String,
    partner_id String,
    org_unit_id Nullable(String),
    cohort_id String,
    sex String,
    age_band String,
    sessions_planned Int32,
    sessions_held Int32,
    enrolled Int32,
    active Int32,
    completed Int32,
    dropped_out Int32,
    transferred Int32,
    present_total Int32,
    expected_total Int32,
    retention_rate Float64,
    dropout_rate Float64,
    completion_rate Float64,
    attendance_rate Float64,
    as_of DateTime('UTC'),
    updated_at DateTime('UTC'),
    version UInt64,
    deleted UInt8,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (program_id, partner_id, cohort_id, sex, age_band);

INSERT INTO ${db}.cohort_retention_keyed SELECT * FROM ${db}.cohort_retention;

RENAME TABLE ${db}.cohort_retention TO ${db}.cohort_retention_unkeyed, ${db}.cohort_retention_keyed TO ${db}.cohort_retention;

DROP TABLE IF EXISTS ${db}.cohort_retention_unkeyed;

DROP TABLE IF EXISTS ${db}.cohort_retention_by_group_unkeyed;

CREATE TABLE IF NOT EXISTS ${db}.cohort_retention_by_group_keyed (
    program_id String,
    partner_id String,
    org_unit_id Nullable(String),
    cohort_id String,
    sex String,
    age_band String,
    sessions_planned Int32,
    sessions_held Int32,
    enrolled Int32,
    active Int32,
    completed Int32,
    dropped_out Int32,
    transferred Int32,
    present_total Int32,
    expected_total Int32,
    retention_rate Float64,
    dropout_rate Float64,
    completion_rate Float64,
    attendance_rate Float64,
    as_of DateTime('UTC'),
    updated_at DateTime('UTC'),
    version UInt64,
    deleted UInt8,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (program_id, partner_id, cohort_id, sex, age_band);

INSERT INTO ${db}.cohort_retention_by_group_keyed SELECT * FROM ${db}.cohort_retention_by_group;

RENAME TABLE ${db}.cohort_retention_by_group TO ${db}.cohort_retention_by_group_unkeyed, ${db}.cohort_retention_by_group_keyed TO ${db}.cohort_retention_by_group;

DROP TABLE IF EXISTS ${db}.cohort_retention_by_group_unkeyed;

DROP TABLE IF EXISTS ${db}.participant_progress_unkeyed;

CREATE TABLE IF NOT EXISTS ${db}.participant_progress_keyed (
    program_id String,
    partner_id String,
    org_unit_id Nullable(String),
    cohort_id String,
    person_id String,
    sex String,
    age_band String,
    enrolled_on Date,
    status String,
    sessions_expected Int32,
    sessions_attended Int32,
    attendance_rate Float64,
    last_session_present Nullable(Int32),
    as_of DateTime('UTC'),
    updated_at DateTime('UTC'),
    version UInt64,
    deleted UInt8,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (program_id, partner_id, cohort_id, person_id);

INSERT INTO ${db}.participant_progress_keyed SELECT * FROM ${db}.participant_progress;

RENAME TABLE ${db}.participant_progress TO ${db}.participant_progress_unkeyed, ${db}.participant_progress_keyed TO ${db}.participant_progress;

DROP TABLE IF EXISTS ${db}.participant_progress_unkeyed;

DROP TABLE IF EXISTS ${db}.retention_curve_unkeyed;

CREATE TABLE IF NOT EXISTS ${db}.retention_curve_keyed (
    program_id String,
    partner_id String,
    cohort_id String,
    session_number Int32,
    held_on Date,
    enrolled Int32,
    surviving Int32,
    survival_rate Float64,
    as_of DateTime('UTC'),
    updated_at DateTime('UTC'),
    version UInt64,
    deleted UInt8,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (program_id, partner_id, cohort_id, session_number);

INSERT INTO ${db}.retention_curve_keyed SELECT * FROM ${db}.retention_curve;

RENAME TABLE ${db}.retention_curve TO ${db}.retention_curve_unkeyed, ${db}.retention_curve_keyed TO ${db}.retention_curve;

DROP TABLE IF EXISTS ${db}.retention_curve_unkeyed;

DROP TABLE IF EXISTS ${db}.dialogues_unkeyed;

CREATE TABLE IF NOT EXISTS ${db}.dialogues_keyed (
    program_id String,
    partner_id String,
    org_unit_id Nullable(String),
    dialogue_id String,
    kind String,
    topic String,
    held_on Date,
    attendees Int32,
    attendees_female Int32,
    attendees_male Int32,
    attendees_other Int32,
    attendees_unknown Int32,
    identified_persons Int32,
    as_of DateTime('UTC'),
    updated_at DateTime('UTC'),
    version UInt64,
    deleted UInt8,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (program_id, partner_id, dialogue_id);

INSERT INTO ${db}.dialogues_keyed SELECT * FROM ${db}.dialogues;

RENAME TABLE ${db}.dialogues TO ${db}.dialogues_unkeyed, ${db}.dialogues_keyed TO ${db}.dialogues;

DROP TABLE IF EXISTS ${db}.dialogues_unkeyed;

DROP TABLE IF EXISTS ${db}.dialogue_attendance_unkeyed;

CREATE TABLE IF NOT EXISTS ${db}.dialogue_attendance_keyed (
    program_id String,
    partner_id String,
    dialogue_id String,
    kind String,
    held_on Date,
    role String,
    sex String,
    attendees Int32,
    as_of DateTime('UTC'),
    updated_at DateTime('UTC'),
    version UInt64,
    deleted UInt8,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (program_id, partner_id, dialogue_id, role, sex);

INSERT INTO ${db}.dialogue_attendance_keyed SELECT * FROM ${db}.dialogue_attendance;

RENAME TABLE ${db}.dialogue_attendance TO ${db}.dialogue_attendance_unkeyed, ${db}.dialogue_attendance_keyed TO ${db}.dialogue_attendance;

DROP TABLE IF EXISTS ${db}.dialogue_attendance_unkeyed;
