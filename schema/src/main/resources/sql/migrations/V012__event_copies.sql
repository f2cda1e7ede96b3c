-- Every copy of an event the sink wrote, one row per record of the events topic (event_id,
-- source_topic, source_partition, source_offset), kept apart from field_events, where copies of one event_id fold
-- into one row: a row sent more than once is an event_id with more than one copy here. Fed by the
-- materialized view event_copies_feed on every insert into field_events; a retried or replayed write
-- is the same row. Ids, dates and where each copy sits only. Read through dq_duplicates (sql/views).
CREATE TABLE IF NOT EXISTS ${db}.event_copies (
    event_id String,
    program_id String,
    partner_id String,
    occurred_at DateTime('UTC'),
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplacingMergeTree
ORDER BY (event_id, source_topic, source_partition, source_offset);

CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.event_copies_feed TO ${db}.event_copies AS
SELECT event_id, program_id, partner_id, occurred_at, source_topic, source_partition, source_offset
FROM ${db}.field_events;

-- the copies field_events still holds unmerged when the migration runs
INSERT INTO ${db}.event_copies
SELECT event_id, program_id, partner_id, occurred_at, source_topic, source_partition, source_offset
FROM ${db}.field_events;
