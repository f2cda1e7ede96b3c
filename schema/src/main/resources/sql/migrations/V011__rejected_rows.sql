-- Rows the producers rejected, from the rejected topic: only the metadata of each rejection (program,
-- partner, source kind, field, reason code, when), never the row's text, its source_ref or the
-- reason's wording; no person data. One row per record of the rejected topic (a retried or replayed
-- write is one row). Read through dq_rejected_rows (sql/views).
CREATE TABLE IF NOT EXISTS ${db}.rejected_rows (
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
) ENGINE = ReplacingMergeTree(version)
ORDER BY (source_topic, source_partition, source_offset);
