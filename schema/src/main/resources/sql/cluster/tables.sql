-- FieldStream's tables on a ClickHouse cluster: the variant of the migrations (sql/migrations, as
-- they stand after the last one) for a cluster with shards and replicas, run once by an operator
-- with clickhouse-client instead of letting the sink create single-node tables. ${db} is the database
-- name, {cluster}, {shard} and {replica} the macros each node's configuration defines.
--
-- * Event and metric tables: <table>_local on every node (ReplicatedReplacingMergeTree, the same
--   columns, version and sorting key as the single-node table) and <table>, a Distributed table
--   over them. The sharding key hashes the columns that name a row's aggregate, so every version of
--   a row lands on one shard: ReplacingMergeTree and FINAL fold versions only within one shard.
-- * Reference tables, sink_offsets and dead_letters are small: one replicated copy on every node
--   (their path has no {shard}), so joins in the views find them complete on every shard.
-- * Give the sink's ClickHouse user insert_distributed_sync = 1 in its profile, so that a batch is
--   on its shards before the sink stores the batch's offsets.
-- * Last, every migration these tables stand for is recorded without a checksum: the sink runs none
--   of them and records the bundled files' checksums at its first start. The sink then creates the
--   views (sql/views) on the node it writes to, recorded in a schema_views table of that node; run
--   the view statements ON CLUSTER to have them on every node.
-- * A field added with a default to a metric or reference schema is a column the sink adds on a
--   single node; on a cluster the sink stops naming the ALTER TABLE to run ON CLUSTER (the _local
--   table, then the Distributed one). Add the column below as well.

CREATE DATABASE IF NOT EXISTS ${db} ON CLUSTER '{cluster}';

CREATE TABLE IF NOT EXISTS ${db}.field_events_local ON CLUSTER '{cluster}' (
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
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/field_events', '{replica}', version)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY event_id;

CREATE TABLE IF NOT EXISTS ${db}.field_events ON CLUSTER '{cluster}' AS ${db}.field_events_local
ENGINE = Distributed('{cluster}', ${db}, field_events_local, cityHash64(event_id));

CREATE TABLE IF NOT EXISTS ${db}.cohort_retention_local ON CLUSTER '{cluster}' (
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
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/cohort_retention', '{replica}', version)
ORDER BY (program_id, partner_id, cohort_id, sex, age_band);

CREATE TABLE IF NOT EXISTS ${db}.cohort_retention ON CLUSTER '{cluster}' AS ${db}.cohort_retention_local
ENGINE = Distributed('{cluster}', ${db}, cohort_retention_local, cityHash64(program_id, partner_id, cohort_id));

CREATE TABLE IF NOT EXISTS ${db}.cohort_retention_by_group_local ON CLUSTER '{cluster}' (
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
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/cohort_retention_by_group', '{replica}', version)
ORDER BY (program_id, partner_id, cohort_id, sex, age_band);

CREATE TABLE IF NOT EXISTS ${db}.cohort_retention_by_group ON CLUSTER '{cluster}' AS ${db}.cohort_retention_by_group_local
ENGINE = Distributed('{cluster}', ${db}, cohort_retention_by_group_local, cityHash64(program_id, partner_id, cohort_id));

CREATE TABLE IF NOT EXISTS ${db}.participant_progress_local ON CLUSTER '{cluster}' (
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
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/participant_progress', '{replica}', version)
ORDER BY (program_id, partner_id, cohort_id, person_id);

CREATE TABLE IF NOT EXISTS ${db}.participant_progress ON CLUSTER '{cluster}' AS ${db}.participant_progress_local
ENGINE = Distributed('{cluster}', ${db}, participant_progress_local, cityHash64(program_id, partner_id, cohort_id));

CREATE TABLE IF NOT EXISTS ${db}.retention_curve_local ON CLUSTER '{cluster}' (
    program_id String,
    partner_id String,
    cohort_id String,
    sex String DEFAULT 'all',
    age_band String DEFAULT 'all',
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
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/retention_curve', '{replica}', version)
ORDER BY (program_id, partner_id, cohort_id, session_number, sex, age_band);

CREATE TABLE IF NOT EXISTS ${db}.retention_curve ON CLUSTER '{cluster}' AS ${db}.retention_curve_local
ENGINE = Distributed('{cluster}', ${db}, retention_curve_local, cityHash64(program_id, partner_id, cohort_id));

CREATE TABLE IF NOT EXISTS ${db}.outreach_local ON CLUSTER '{cluster}' (
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
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/outreach', '{replica}', version)
ORDER BY (program_id, period_kind, period, dimension, dimension_id, sex, age_band);

CREATE TABLE IF NOT EXISTS ${db}.outreach ON CLUSTER '{cluster}' AS ${db}.outreach_local
ENGINE = Distributed('{cluster}', ${db}, outreach_local, cityHash64(program_id, period_kind, period, dimension, dimension_id));

CREATE TABLE IF NOT EXISTS ${db}.dialogues_local ON CLUSTER '{cluster}' (
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
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/dialogues', '{replica}', version)
ORDER BY (program_id, partner_id, dialogue_id);

CREATE TABLE IF NOT EXISTS ${db}.dialogues ON CLUSTER '{cluster}' AS ${db}.dialogues_local
ENGINE = Distributed('{cluster}', ${db}, dialogues_local, cityHash64(program_id, partner_id, dialogue_id));

CREATE TABLE IF NOT EXISTS ${db}.dialogue_attendance_local ON CLUSTER '{cluster}' (
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
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/dialogue_attendance', '{replica}', version)
ORDER BY (program_id, partner_id, dialogue_id, role, sex);

CREATE TABLE IF NOT EXISTS ${db}.dialogue_attendance ON CLUSTER '{cluster}' AS ${db}.dialogue_attendance_local
ENGINE = Distributed('{cluster}', ${db}, dialogue_attendance_local, cityHash64(program_id, partner_id, dialogue_id));

CREATE TABLE IF NOT EXISTS ${db}.programs ON CLUSTER '{cluster}' (
    program_id String,
    name String,
    start_date Date,
    end_date Nullable(Date),
    dropout_missed_sessions Int32,
    completion_attendance Float64,
    fiscal_year_start_month Int32 DEFAULT 1,
    deviation_threshold Float64 DEFAULT 0.1,
    version UInt64,
    deleted UInt8,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/${db}/programs', '{replica}', version)
ORDER BY program_id;

CREATE TABLE IF NOT EXISTS ${db}.partners ON CLUSTER '{cluster}' (
    partner_id String,
    program_id String,
    name String,
    org_unit_id Nullable(String),
    version UInt64,
    deleted UInt8,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/${db}/partners', '{replica}', version)
ORDER BY partner_id;

CREATE TABLE IF NOT EXISTS ${db}.org_units ON CLUSTER '{cluster}' (
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
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/${db}/org_units', '{replica}', version)
ORDER BY org_unit_id;

CREATE TABLE IF NOT EXISTS ${db}.targets ON CLUSTER '{cluster}' (
    program_id String,
    indicator String,
    period String,
    dimension String,
    dimension_id String,
    target Float64,
    baseline Nullable(Float64),
    version UInt64,
    deleted UInt8,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/${db}/targets', '{replica}', version)
ORDER BY (program_id, indicator, period, dimension, dimension_id);

CREATE TABLE IF NOT EXISTS ${db}.sink_offsets ON CLUSTER '{cluster}' (
    consumer_group String,
    topic String,
    partition UInt32,
    next_offset UInt64,
    written_at DateTime('UTC')
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/${db}/sink_offsets', '{replica}', next_offset)
ORDER BY (consumer_group, topic, partition);

CREATE TABLE IF NOT EXISTS ${db}.dead_letters ON CLUSTER '{cluster}' (
    stage String,
    failed_topic String,
    failed_partition Int32,
    failed_offset Int64,
    reason String,
    failed_at DateTime('UTC'),
    version UInt64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/${db}/dead_letters', '{replica}', version)
ORDER BY (stage, failed_topic, failed_partition, failed_offset);

CREATE TABLE IF NOT EXISTS ${db}.schema_migrations ON CLUSTER '{cluster}' (
    version UInt32,
    name String,
    checksum String,
    applied_at DateTime('UTC')
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/${db}/schema_migrations', '{replica}')
ORDER BY version;

INSERT INTO ${db}.schema_migrations (version, name, checksum, applied_at) VALUES
    (1, 'tables', '', now()),
    (2, 'views', '', now()),
    (3, 'recompute_cohort_retention', '', now()),
    (4, 'recompute_all', '', now()),
    (5, 'targets_without_actuals', '', now()),
    (6, 'portable_views', '', now()),
    (7, 'aggregate_keys', '', now()),
    (8, 'dead_letters', '', now()),
    (9, 'retention_curve_by_group', '', now()),
    (10, 'partner_outreach_attributes', '', now());
