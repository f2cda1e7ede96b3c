-- Rows sent more than once, per program, partner and month of the record date (Asia/Dhaka): of the
-- distinct events the sink wrote (event_copies: one row per record of the events topic), records,
-- records_sent_more_than_once (an event_id with two or more copies: the same row again in a file, a
-- file or a request sent again, the same record by two channels) and extra_copies (copies beyond the
-- first); duplicate_share = records_sent_more_than_once / records. docs/design.md, "Data quality".
SELECT program_id, partner_id, month,
       toUInt64(count()) AS records,
       toUInt64(countIf(copies > 1)) AS records_sent_more_than_once,
       toUInt64(sum(copies - 1)) AS extra_copies,
       records_sent_more_than_once / records AS duplicate_share
FROM (
    SELECT program_id, partner_id, event_id, toStartOfMonth(toDate(min(occurred_at), 'Asia/Dhaka')) AS month, count() AS copies
    FROM ${db}.event_copies FINAL
    GROUP BY program_id, partner_id, event_id
)
GROUP BY program_id, partner_id, month
