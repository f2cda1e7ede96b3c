-- The data-quality scorecard of each program, partner and month, with its status against the
-- program's thresholds (docs/design.md, "Data quality"; defaults for a program without reference data):
-- from dq_partner_month (month of the record date) records, median_days_to_receipt,
-- p90_days_to_receipt, on_time_share; rows_received (events received in the month, Asia/Dhaka) and
-- rows_rejected (dq_rejected_rows) with rejected_share = rows_rejected / (rows_received +
-- rows_rejected); records_sent_more_than_once and duplicate_share (dq_duplicates); late_edits
-- (dq_late_edits), attendance_waiting (dq_attendance_waiting),
-- cohorts_open_after_end (dq_cohorts_overdue), outlier_sessions (dq_attendance_outliers).
-- status is 'outside' when a measure is outside its threshold: on_time_share below
-- dq_min_on_time_share (months with records), rejected_share above dq_max_rejected_share,
-- duplicate_share above dq_max_duplicate_share, late_edits
-- above dq_max_late_edits; outside_measures names them, comma-separated; else 'within'.
SELECT program_id, partner_id, month, records, median_days_to_receipt, p90_days_to_receipt, on_time_share,
       rows_received, rows_rejected, rejected_share, records_sent_more_than_once, duplicate_share, late_edits,
       attendance_waiting, cohorts_open_after_end, outlier_sessions,
       min_on_time_share, max_rejected_share, max_duplicate_share, max_late_edits,
       if(outside_measures = '', 'within', 'outside') AS status, outside_measures
FROM (
    SELECT program_id, partner_id, month, records, median_days_to_receipt, p90_days_to_receipt, on_time_share,
           rows_received, rows_rejected, rejected_share, records_sent_more_than_once, duplicate_share, late_edits,
           attendance_waiting, cohorts_open_after_end, outlier_sessions,
           min_on_time_share, max_rejected_share, max_duplicate_share, max_late_edits,
           replaceRegexpOne(concat(
               if(records > 0 AND on_time_share < min_on_time_share, 'on_time_share,', ''),
               if(rejected_share > max_rejected_share, 'rejected_share,', ''),
               if(duplicate_share > max_duplicate_share, 'duplicate_share,', ''),
               if(late_edits > max_late_edits, 'late_edits,', '')), ',$', '') AS outside_measures
    FROM (
        SELECT program_id, partner_id, month, records, median_days_to_receipt, p90_days_to_receipt, on_time_share,
               rows_received, rows_rejected,
               if(rows_received + rows_rejected = 0, 0, rows_rejected / (rows_received + rows_rejected)) AS rejected_share,
               records_sent_more_than_once, duplicate_share,
               late_edits, attendance_waiting, cohorts_open_after_end, outlier_sessions,
               if(known = 1, min_share, 0.8) AS min_on_time_share,
               if(known = 1, max_duplicates, 0.05) AS max_duplicate_share,
               if(known = 1, max_rejected, 0.05) AS max_rejected_share,
               toUInt64(if(known = 1, max_late, 0)) AS max_late_edits
        FROM (
            SELECT program_id, partner_id, month,
                   sum(records) AS records,
                   sum(median_days_to_receipt) AS median_days_to_receipt,
                   sum(p90_days_to_receipt) AS p90_days_to_receipt,
                   sum(on_time_share) AS on_time_share,
                   sum(rows_received) AS rows_received,
                   sum(rows_rejected) AS rows_rejected,
                   sum(late_edits) AS late_edits,
                   sum(attendance_waiting) AS attendance_waiting,
                   sum(cohorts_open_after_end) AS cohorts_open_after_end,
                   sum(outlier_sessions) AS outlier_sessions,
                   sum(records_sent_more_than_once) AS records_sent_more_than_once,
                   sum(duplicate_share) AS duplicate_share
            FROM (
                SELECT program_id, partner_id, month, records, median_days_to_receipt, p90_days_to_receipt, on_time_share,
                       toUInt64(0) AS rows_received, toUInt64(0) AS rows_rejected, toUInt64(0) AS late_edits,
                       toUInt64(0) AS attendance_waiting, toUInt64(0) AS cohorts_open_after_end, toUInt64(0) AS outlier_sessions,
                       toUInt64(0) AS records_sent_more_than_once, toFloat64(0) AS duplicate_share
                FROM ${db}.dq_partner_month
                UNION ALL
                SELECT program_id, partner_id, month, toUInt64(0) AS records, toFloat64(0) AS median_days_to_receipt,
                       toFloat64(0) AS p90_days_to_receipt, toFloat64(0) AS on_time_share,
                       toUInt64(count()) AS rows_received, toUInt64(0) AS rows_rejected, toUInt64(0) AS late_edits,
                       toUInt64(0) AS attendance_waiting, toUInt64(0) AS cohorts_open_after_end, toUInt64(0) AS outlier_sessions,
                       toUInt64(0) AS records_sent_more_than_once, toFloat64(0) AS duplicate_share
                FROM (
                    SELECT program_id, partner_id, toStartOfMonth(toDate(received_at, 'Asia/Dhaka')) AS month
                    FROM ${db}.field_events FINAL
                )
                GROUP BY program_id, partner_id, month
                UNION ALL
                SELECT program_id, partner_id, month, toUInt64(0) AS records, toFloat64(0) AS median_days_to_receipt,
                       toFloat64(0) AS p90_days_to_receipt, toFloat64(0) AS on_time_share,
                       toUInt64(0) AS rows_received, toUInt64(sum(rows_rejected)) AS rows_rejected, toUInt64(0) AS late_edits,
                       toUInt64(0) AS attendance_waiting, toUInt64(0) AS cohorts_open_after_end, toUInt64(0) AS outlier_sessions,
                       toUInt64(0) AS records_sent_more_than_once, toFloat64(0) AS duplicate_share
                FROM ${db}.dq_rejected_rows
                GROUP BY program_id, partner_id, month
                UNION ALL
                SELECT program_id, partner_id, month, toUInt64(0) AS records, toFloat64(0) AS median_days_to_receipt,
                       toFloat64(0) AS p90_days_to_receipt, toFloat64(0) AS on_time_share,
                       toUInt64(0) AS rows_received, toUInt64(0) AS rows_rejected, late_edits,
                       toUInt64(0) AS attendance_waiting, toUInt64(0) AS cohorts_open_after_end, toUInt64(0) AS outlier_sessions,
                       toUInt64(0) AS records_sent_more_than_once, toFloat64(0) AS duplicate_share
                FROM ${db}.dq_late_edits
                UNION ALL
                SELECT program_id, partner_id, month, toUInt64(0) AS records, toFloat64(0) AS median_days_to_receipt,
                       toFloat64(0) AS p90_days_to_receipt, toFloat64(0) AS on_time_share,
                       toUInt64(0) AS rows_received, toUInt64(0) AS rows_rejected, toUInt64(0) AS late_edits,
                       attendance_waiting, toUInt64(0) AS cohorts_open_after_end, toUInt64(0) AS outlier_sessions,
                       toUInt64(0) AS records_sent_more_than_once, toFloat64(0) AS duplicate_share
                FROM ${db}.dq_attendance_waiting
                UNION ALL
                SELECT program_id, partner_id, month, toUInt64(0) AS records, toFloat64(0) AS median_days_to_receipt,
                       toFloat64(0) AS p90_days_to_receipt, toFloat64(0) AS on_time_share,
                       toUInt64(0) AS rows_received, toUInt64(0) AS rows_rejected, toUInt64(0) AS late_edits,
                       toUInt64(0) AS attendance_waiting, cohorts_open_after_end, toUInt64(0) AS outlier_sessions,
                       toUInt64(0) AS records_sent_more_than_once, toFloat64(0) AS duplicate_share
                FROM ${db}.dq_cohorts_overdue
                UNION ALL
                SELECT program_id, partner_id, month, toUInt64(0) AS records, toFloat64(0) AS median_days_to_receipt,
                       toFloat64(0) AS p90_days_to_receipt, toFloat64(0) AS on_time_share,
                       toUInt64(0) AS rows_received, toUInt64(0) AS rows_rejected, toUInt64(0) AS late_edits,
                       toUInt64(0) AS attendance_waiting, toUInt64(0) AS cohorts_open_after_end, outlier_sessions,
                       toUInt64(0) AS records_sent_more_than_once, toFloat64(0) AS duplicate_share
                FROM ${db}.dq_attendance_outliers
                UNION ALL
                SELECT program_id, partner_id, month, toUInt64(0) AS records, toFloat64(0) AS median_days_to_receipt,
                       toFloat64(0) AS p90_days_to_receipt, toFloat64(0) AS on_time_share,
                       toUInt64(0) AS rows_received, toUInt64(0) AS rows_rejected, toUInt64(0) AS late_edits,
                       toUInt64(0) AS attendance_waiting, toUInt64(0) AS cohorts_open_after_end, toUInt64(0) AS outlier_sessions,
                       records_sent_more_than_once, duplicate_share
                FROM ${db}.dq_duplicates
            )
            GROUP BY program_id, partner_id, month
        ) AS measures
        ALL LEFT JOIN (
            SELECT program_id, toUInt8(1) AS known, dq_min_on_time_share AS min_share, dq_max_rejected_share AS max_rejected,
                   dq_max_duplicate_share AS max_duplicates, dq_max_late_edits AS max_late
            FROM ${db}.v_programs
        ) AS program USING (program_id)
    )
)
