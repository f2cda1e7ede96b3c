-- Held sessions of every registered cohort in number order (a session's date: its earliest current
-- record), one row per aggregate with the cohort's latest registration; the survival curve's
-- recomputation reads it.
SELECT aggregate_id, session_numbers, held_dates, program_id, partner_id, cohort_id
FROM (
    SELECT aggregate_id,
           arrayMap(s -> tupleElement(s, 1), sessions) AS session_numbers,
           arrayMap(s -> tupleElement(s, 2), sessions) AS held_dates
    FROM (
        SELECT aggregate_id, arraySort(groupArray((session_number, held_on))) AS sessions
        FROM (
            SELECT aggregate_id, toInt32(assumeNotNull(session_number)) AS session_number,
                   min(assumeNotNull(held_on)) AS held_on
            FROM ${db}.v_field_events_current
            WHERE event_type = 'session_held'
            GROUP BY aggregate_id, session_number
        )
        GROUP BY aggregate_id
    )
) AS session
ALL INNER JOIN (
    SELECT aggregate_id,
           tupleElement(reg, 1) AS program_id,
           tupleElement(reg, 2) AS partner_id,
           tupleElement(reg, 3) AS cohort_id
    FROM (
        SELECT aggregate_id,
               argMax((program_id, partner_id, assumeNotNull(cohort_id)), (occurred_at, event_id)) AS reg
        FROM ${db}.v_field_events_current
        WHERE event_type = 'training_cohort_registered'
        GROUP BY aggregate_id
    )
) AS registration USING (aggregate_id)
