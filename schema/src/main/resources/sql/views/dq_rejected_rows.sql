-- Rows rejected per program, partner, month (of rejected_at in Asia/Dhaka), source kind, field and
-- reason code, from rejected_rows (the metadata the sink lands from the rejected topic: never the
-- row). A row rejected without a known program or partner has '' there; a row sent and rejected twice
-- counts twice. docs/design.md, "Data quality".
SELECT program_id, partner_id, month, source, field, reason_code, toUInt64(count()) AS rows_rejected
FROM (
    SELECT program_id, partner_id, toStartOfMonth(toDate(rejected_at, 'Asia/Dhaka')) AS month, source, field, reason_code
    FROM ${db}.rejected_rows FINAL
)
GROUP BY program_id, partner_id, month, source, field, reason_code
