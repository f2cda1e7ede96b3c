-- Persons present per held session with attendance recorded, for dq_attendance_outliers: the current
-- SessionHeld of each cohort and session number (its earliest date) and the distinct persons whose
-- current attendance record says present; a held session without any current attendance record has
-- no row (held_sessions_without_attendance counts it). docs/design.md, "Data quality".
SELECT program_id, partner_id, aggregate_id, n, month, present
FROM (
    SELECT program_id, partner_id, aggregate_id, n, toStartOfMonth(min(assumeNotNull(held_on))) AS month
    FROM (
        SELECT program_id, partner_id, aggregate_id, assumeNotNull(session_number) AS n, held_on
        FROM ${db}.v_field_events_current
        WHERE event_type = 'session_held'
    )
    GROUP BY program_id, partner_id, aggregate_id, n
) AS session
ALL INNER JOIN (
    SELECT aggregate_id, n, toUInt64(uniqExactIf(person, status = 'present')) AS present
    FROM (
        SELECT aggregate_id, assumeNotNull(session_number) AS n, ifNull(person_id, '') AS person, ifNull(status, '') AS status
        FROM ${db}.v_field_events_current
        WHERE event_type = 'attendance_recorded'
    )
    GROUP BY aggregate_id, n
) AS attendance USING (aggregate_id, n)
