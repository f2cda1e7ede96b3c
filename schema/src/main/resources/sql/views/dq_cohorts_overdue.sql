-- Cohorts past their end date left open, per program, partner and month of the end date: of the
-- registered cohorts whose end date (current registration: latest by occurred_at, then event_id) is
-- before today in Asia/Dhaka, cohorts_ended; of those, cohorts_open_after_end, which have no current
-- exit record and held fewer sessions than planned, so no person of theirs can complete or drop out
-- by the records. docs/design.md, "Data quality".
SELECT program_id, partner_id, month,
       toUInt64(count()) AS cohorts_ended,
       toUInt64(countIf(exits = 0 AND held < planned)) AS cohorts_open_after_end
FROM (
    SELECT program_id, partner_id, month, planned, held, exits
    FROM (
        SELECT program_id, partner_id, aggregate_id, month, planned, held
        FROM (
            SELECT program_id, partner_id, aggregate_id, toStartOfMonth(tupleElement(cohort, 1)) AS month,
                   tupleElement(cohort, 2) AS planned
            FROM (
                SELECT program_id, partner_id, aggregate_id,
                       argMax((ifNull(end_date, toDate('2100-01-01')), ifNull(planned_sessions, 0)), (occurred_at, event_id)) AS cohort
                FROM ${db}.v_field_events_current
                WHERE event_type = 'training_cohort_registered'
                GROUP BY program_id, partner_id, aggregate_id
            )
            WHERE tupleElement(cohort, 1) < toDate(now(), 'Asia/Dhaka')
        ) AS ended
        ALL LEFT JOIN (
            SELECT aggregate_id, toInt32(uniqExact(assumeNotNull(session_number))) AS held
            FROM ${db}.v_field_events_current
            WHERE event_type = 'session_held'
            GROUP BY aggregate_id
        ) AS sessions USING (aggregate_id)
    ) AS cohort
    ALL LEFT JOIN (
        SELECT aggregate_id, toUInt64(count()) AS exits
        FROM ${db}.v_field_events_current
        WHERE event_type = 'participant_exited'
        GROUP BY aggregate_id
    ) AS exited USING (aggregate_id)
)
GROUP BY program_id, partner_id, month
