-- FieldStream tables, v1. Runs on ClickHouse 18.16 and current releases.
-- ${db} is replaced by the validated database name.
-- Conventions:
--   * DateTime columns are UTC: DateTime('UTC'), written as 'yyyy-MM-dd HH:mm:ss' in UTC.
--   * Booleans are UInt8 (0/1); enums are lower-case strings, so new symbols need no migration.
--   * ReplacingMergeTree only replaces rows inside one partition, so a table's partition key is
--     either absent or a function of columns that never change for its sorting key.
--   * source_topic/source_partition/source_offset name the Kafka record a row came from.

CREATE TABLE IF NOT EXISTS ${db}.field_events (
    event_id String,
    root_id String,
    revision Int32,
    program_id String,
    partner_id String,
    org_unit_id Nullable(String),
    aggregate_id String,
    occurred_at DateTime('UTC'),
    received_at DateTime('UTC'),
    source String,
    source_ref String,
    event_type String,
    cohort_id Nullable(String),
    dialogue_id Nullable(String),
    session_number Nullable(Int32),
    person_id Nullable(String),
    sex Nullable(String),
    birth_year Nullable(Int32),
    age Nullable(Int32),
    status Nullable(String),
    reason Nullable(String),
    kind Nullable(String),
    topic Nullable(String),
    role Nullable(String),
    planned_sessions Nullable(Int32),
    start_date Nullable(Date),
    end_date Nullable(Date),
    target_group Nullable(String),
    held_on Nullable(Date),
    enrolled_on Nullable(Date),
    exited_on Nullable(Date),
    retraction_reason Nullable(String),
    source_topic String,
    source_partition UInt32,
    source_offset UInt64,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY event_id;

CREATE TABLE IF NOT EXISTS ${db}.cohort_retention (
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
ORDER BY (cohort_id, sex, age_band);

CREATE TABLE IF NOT EXISTS ${db}.cohort_retention_by_group (
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
ORDER BY (cohort_id, sex, age_band);

CREATE TABLE IF NOT EXISTS ${db}.participant_progress (
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
ORDER BY (cohort_id, person_id);

CREATE TABLE IF NOT EXISTS ${db}.retention_curve (
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
ORDER BY (cohort_id, session_number);

-- Every period kind (month, quarter, to_date) in one table; the outreach_* views split them.
CREATE TABLE IF NOT EXISTS ${db}.outreach (
    program_id String,
    period_kind String,
    period String,
    period_start Date,
    dimension String,
    dimension_id String,
    sex String,
    age_band String,
    people_reached Int64,
    new_people_reached Int64,
    as_of DateTime('UTC'),
    updated_at DateTime('UTC'),
    version UInt64,
    deleted UInt8,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (program_id, period_kind, period, dimension, dimension_id, sex, age_band);

CREATE TABLE IF NOT EXISTS ${db}.dialogues (
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
ORDER BY dialogue_id;

CREATE TABLE IF NOT EXISTS ${db}.dialogue_attendance (
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
ORDER BY (dialogue_id, role, sex);

-- Reference tables mirror compacted topics with one partition: version = source offset, which
-- grows with every update of a key; a tombstone becomes a row with deleted = 1.
CREATE TABLE IF NOT EXISTS ${db}.programs (
    program_id String,
    name String,
    start_date Date,
    end_date Nullable(Date),
    dropout_missed_sessions Int32,
    completion_attendance Float64,
    version UInt64,
    deleted UInt8,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY program_id;

CREATE TABLE IF NOT EXISTS ${db}.partners (
    partner_id String,
    program_id String,
    name String,
    org_unit_id Nullable(String),
    version UInt64,
    deleted UInt8,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY partner_id;

CREATE TABLE IF NOT EXISTS ${db}.org_units (
    org_unit_id String,
    name String,
    name_bn Nullable(String),
    level String,
    parent_id Nullable(String),
    division_id Nullable(String),
    district_id Nullable(String),
    upazila_id Nullable(String),
    union_id Nullable(String),
    version UInt64,
    deleted UInt8,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY org_unit_id;

CREATE TABLE IF NOT EXISTS ${db}.targets (
    program_id String,
    indicator String,
    period String,
    dimension String,
    dimension_id String,
    target Float64,
    version UInt64,
    deleted UInt8,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (program_id, indicator, period, dimension, dimension_id);

-- Where each consumer group's writes end, written after the batch's rows: a restarted sink
-- resumes after max(next_offset) even if its Kafka commit was lost.
CREATE TABLE IF NOT EXISTS ${db}.sink_offsets (
    consumer_group String,
    topic String,
    partition UInt32,
    next_offset UInt64,
    written_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(next_offset)
ORDER BY (consumer_group, topic, partition);
