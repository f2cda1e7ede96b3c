-- FieldStream's tables on a ClickHouse cluster: the variant of the migrations (sql/migrations, as
-- they stand after the last one) for a cluster with shards and replicas, run once by an operator
-- with clickhouse-client instead of letting the sink create single-node tables. ${db} is the database
-- name, {cluster}, {shard} and {replica} the macros each node's configuration defines.
--
-- * Event and metric tables: <table>_local on every node (ReplicatedReplacingMergeTree, the same
--   columns, version and sorting key as the single-node table) and <table>, a Distributed table
--   over them. The sharding key hashes the columns that name a row's aggregate, so every version of
--   a row lands on one shard: ReplacingMergeTree and FINAL fold versions only within one shard.
-- * Reference tables, sink_offsets, dead_letters and rejected_rows are small: one replicated copy on every node
--   (their path has no {shard}), so joins in the views find them complete on every shard.
-- * Give the sink's ClickHouse user insert_distributed_sync = 1 in its profile, so that a batch is
--   on its shards before the sink stores the batch's offsets.
-- * Last, every migration these tables stand for is recorded without a checksum: the sink runs none
--   of them and records the bundled files' checksums at its first start. The sink then creates the
--   views (sql/views) on the node it writes to, recorded in a schema_views table of that node; run
--   the view statements ON CLUSTER to have them on every node.
-- * ${avro_columns:<table>} stands for the columns of the table fed from that Avro record (its
--   fields, then the sink's columns): print this file with them written out and ${db} replaced by
--   `fieldstream cluster-tables --db <name>` (ClusterTables). A field added with a default to a metric
--   or reference schema is a column the sink adds on a single node; on an existing cluster the sink
--   stops naming the ALTER TABLE to run ON CLUSTER (the _local table, then the Distributed one).

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

CREATE TABLE IF NOT EXISTS ${db}.event_copies_local ON CLUSTER '{cluster}' (
    event_id String,
    program_id String,
    partner_id String,
    occurred_at DateTime('UTC'),
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/event_copies', '{replica}')
ORDER BY (event_id, source_topic, source_partition, source_offset);

CREATE TABLE IF NOT EXISTS ${db}.event_copies ON CLUSTER '{cluster}' AS ${db}.event_copies_local
ENGINE = Distributed('{cluster}', ${db}, event_copies_local, cityHash64(event_id));

CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.event_copies_feed ON CLUSTER '{cluster}' TO ${db}.event_copies_local AS
SELECT event_id, program_id, partner_id, occurred_at, source_topic, source_partition, source_offset
FROM ${db}.field_events_local;

CREATE TABLE IF NOT EXISTS ${db}.cohort_start_events_local ON CLUSTER '{cluster}' (
    event_id String,
    root_id String,
    aggregate_id String,
    revision Int32,
    program_id String,
    partner_id String,
    event_type String,
    cohort_id Nullable(String),
    start_date Nullable(Date),
    version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/cohort_start_events', '{replica}', version)
ORDER BY event_id;

CREATE TABLE IF NOT EXISTS ${db}.cohort_start_events ON CLUSTER '{cluster}' AS ${db}.cohort_start_events_local
ENGINE = Distributed('{cluster}', ${db}, cohort_start_events_local, cityHash64(event_id));

CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.cohort_start_events_feed ON CLUSTER '{cluster}' TO ${db}.cohort_start_events_local AS
SELECT event_id, root_id, aggregate_id, revision, program_id, partner_id, event_type, cohort_id, start_date, version
FROM ${db}.field_events_local
WHERE event_type IN ('training_cohort_registered', 'record_retracted');

CREATE TABLE IF NOT EXISTS ${db}.cohort_retention_local ON CLUSTER '{cluster}' (
    ${avro_columns:cohort_retention}
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/cohort_retention', '{replica}', version)
ORDER BY (program_id, partner_id, cohort_id, sex, age_band);

CREATE TABLE IF NOT EXISTS ${db}.cohort_retention ON CLUSTER '{cluster}' AS ${db}.cohort_retention_local
ENGINE = Distributed('{cluster}', ${db}, cohort_retention_local, cityHash64(program_id, partner_id, cohort_id));

CREATE TABLE IF NOT EXISTS ${db}.cohort_retention_by_group_local ON CLUSTER '{cluster}' (
    ${avro_columns:cohort_retention_by_group}
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/cohort_retention_by_group', '{replica}', version)
ORDER BY (program_id, partner_id, cohort_id, sex, age_band);

CREATE TABLE IF NOT EXISTS ${db}.cohort_retention_by_group ON CLUSTER '{cluster}' AS ${db}.cohort_retention_by_group_local
ENGINE = Distributed('{cluster}', ${db}, cohort_retention_by_group_local, cityHash64(program_id, partner_id, cohort_id));

CREATE TABLE IF NOT EXISTS ${db}.participant_progress_local ON CLUSTER '{cluster}' (
    ${avro_columns:participant_progress}
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/participant_progress', '{replica}', version)
ORDER BY (program_id, partner_id, cohort_id, person_id);

CREATE TABLE IF NOT EXISTS ${db}.participant_progress ON CLUSTER '{cluster}' AS ${db}.participant_progress_local
ENGINE = Distributed('{cluster}', ${db}, participant_progress_local, cityHash64(program_id, partner_id, cohort_id));

CREATE TABLE IF NOT EXISTS ${db}.retention_curve_local ON CLUSTER '{cluster}' (
    ${avro_columns:retention_curve}
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/retention_curve', '{replica}', version)
ORDER BY (program_id, partner_id, cohort_id, session_number, sex, age_band);

CREATE TABLE IF NOT EXISTS ${db}.retention_curve ON CLUSTER '{cluster}' AS ${db}.retention_curve_local
ENGINE = Distributed('{cluster}', ${db}, retention_curve_local, cityHash64(program_id, partner_id, cohort_id));

CREATE TABLE IF NOT EXISTS ${db}.outreach_local ON CLUSTER '{cluster}' (
    ${avro_columns:outreach}
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/outreach', '{replica}', version)
ORDER BY (program_id, period_kind, period, dimension, dimension_id, sex, age_band);

CREATE TABLE IF NOT EXISTS ${db}.outreach ON CLUSTER '{cluster}' AS ${db}.outreach_local
ENGINE = Distributed('{cluster}', ${db}, outreach_local, cityHash64(program_id, period_kind, period, dimension, dimension_id));

CREATE TABLE IF NOT EXISTS ${db}.dialogues_local ON CLUSTER '{cluster}' (
    ${avro_columns:dialogues}
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/dialogues', '{replica}', version)
ORDER BY (program_id, partner_id, dialogue_id);

CREATE TABLE IF NOT EXISTS ${db}.dialogues ON CLUSTER '{cluster}' AS ${db}.dialogues_local
ENGINE = Distributed('{cluster}', ${db}, dialogues_local, cityHash64(program_id, partner_id, dialogue_id));

CREATE TABLE IF NOT EXISTS ${db}.dialogue_attendance_local ON CLUSTER '{cluster}' (
    ${avro_columns:dialogue_attendance}
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/${db}/dialogue_attendance', '{replica}', version)
ORDER BY (program_id, partner_id, dialogue_id, role, sex);

CREATE TABLE IF NOT EXISTS ${db}.dialogue_attendance ON CLUSTER '{cluster}' AS ${db}.dialogue_attendance_local
ENGINE = Distributed('{cluster}', ${db}, dialogue_attendance_local, cityHash64(program_id, partner_id, dialogue_id));

CREATE TABLE IF NOT EXISTS ${db}.programs ON CLUSTER '{cluster}' (
    ${avro_columns:programs}
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/${db}/programs', '{replica}', version)
ORDER BY program_id;

CREATE TABLE IF NOT EXISTS ${db}.partners ON CLUSTER '{cluster}' (
    ${avro_columns:partners}
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/${db}/partners', '{replica}', version)
ORDER BY partner_id;

CREATE TABLE IF NOT EXISTS ${db}.org_units ON CLUSTER '{cluster}' (
    ${avro_columns:org_units}
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/${db}/org_units', '{replica}', version)
ORDER BY org_unit_id;

CREATE TABLE IF NOT EXISTS ${db}.targets ON CLUSTER '{cluster}' (
    ${avro_columns:targets}
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

CREATE TABLE IF NOT EXISTS ${db}.rejected_rows ON CLUSTER '{cluster}' (
    program_id String,
    partner_id String,
    source String,
    field String,
    reason_code String,
    rejected_at DateTime('UTC'),
    version UInt64,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/${db}/rejected_rows', '{replica}', version)
ORDER BY (source_topic, source_partition, source_offset);

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
    (10, 'partner_outreach_attributes', '', now()),
    (11, 'rejected_rows', '', now()),
    (12, 'event_copies', '', now()),
    (13, 'cohort_start_events', '', now());
