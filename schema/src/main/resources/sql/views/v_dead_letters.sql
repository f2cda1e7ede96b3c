SELECT stage, failed_topic, failed_partition, failed_offset, reason, failed_at
FROM ${db}.dead_letters FINAL
