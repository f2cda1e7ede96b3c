-- Late edits to a closed month, per program, partner and month of the edited record as first sent
-- (its lowest revision that is not a retraction; record date in Asia/Dhaka): corrections (revision > 1,
-- not a retraction) and retractions of the month's records, and of those late_corrections and
-- late_retractions, received (Asia/Dhaka) after the month's reporting deadline: the program's
-- reporting_deadline_days (10 for a program without reference data) after the end of the month.
-- late_edits = late_corrections + late_retractions. A retraction of a record never landed counts
-- nowhere. docs/design.md, "Data quality".
SELECT program_id, partner_id, month,
       toUInt64(countIf(kind = 'correction')) AS corrections,
       toUInt64(countIf(kind = 'correction' AND received_on > deadline)) AS late_corrections,
       toUInt64(countIf(kind = 'retraction')) AS retractions,
       toUInt64(countIf(kind = 'retraction' AND received_on > deadline)) AS late_retractions,
       late_corrections + late_retractions AS late_edits
FROM (
    SELECT program_id, partner_id, kind, month, received_on,
           addDays(addMonths(month, 1), toInt32(if(known = 1, deadline_days, 10)) - 1) AS deadline
    FROM (
        SELECT program_id, partner_id, kind, received_on, toStartOfMonth(first_date) AS month
        FROM (
            SELECT program_id, partner_id, root_id,
                   if(event_type = 'record_retracted', 'retraction', 'correction') AS kind,
                   toDate(received_at, 'Asia/Dhaka') AS received_on
            FROM ${db}.field_events FINAL
            WHERE revision > 1 OR event_type = 'record_retracted'
        ) AS edit
        ALL INNER JOIN (
            SELECT root_id, toDate(argMin(occurred_at, (revision, event_id)), 'Asia/Dhaka') AS first_date
            FROM ${db}.field_events FINAL
            WHERE event_type != 'record_retracted'
            GROUP BY root_id
        ) AS original USING (root_id)
    ) AS dated
    ALL LEFT JOIN (
        SELECT program_id, toUInt8(1) AS known, reporting_deadline_days AS deadline_days
        FROM ${db}.v_programs
    ) AS program USING (program_id)
)
GROUP BY program_id, partner_id, month
