-- The events v_cohort_starts reads, kept apart from field_events so that the cohorts starting in a
-- period, and the rate targets' actuals, read a few thousand rows instead of every event twice: each
-- training_cohort_registered and each record_retracted event (a record's corrections keep its type,
-- and its retraction is a record_retracted of the same root, so these are every event of the
-- registration records; the retractions of other records are few and never current for a
-- registration's root). Fed by the materialized view cohort_start_events_feed on every insert into
-- field_events; a retried or replayed write is the same row (by event_id, the highest version kept,
-- as field_events keeps). Ids, dates and types only.
CREATE TABLE IF NOT EXISTS ${db}.cohort_start_events (
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
) ENGINE = ReplacingMergeTree(version)
ORDER BY event_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.cohort_start_events_feed TO ${db}.cohort_start_events AS
SELECT event_id, root_id, aggregate_id, revision, program_id, partner_id, event_type, cohort_id, start_date, version
FROM ${db}.field_events
WHERE event_type IN ('training_cohort_registered', 'record_retracted');

-- the registration and retraction events field_events holds when the migration runs
INSERT INTO ${db}.cohort_start_events
SELECT event_id, root_id, aggregate_id, revision, program_id, partner_id, event_type, cohort_id, start_date, version
FROM ${db}.field_events
WHERE event_type IN ('training_cohort_registered', 'record_retracted');
