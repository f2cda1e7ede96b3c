-- Records a stage could not process, from the dead-letter topic: undecodable input of the streams,
-- rows ClickHouse refused. Only where each came from and why; never its content. One row per failed
-- record and stage (a record dead-lettered twice after a restart is one row). Read through
-- v_dead_letters (sql/views).
CREATE TABLE IF NOT EXISTS ${db}.dead_letters (
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
) ENGINE = ReplacingMergeTree(version)
ORDER BY (stage, failed_topic, failed_partition, failed_offset);
