-- Attendance waiting for a session never held, per program, partner and month of the attendance's
-- record date (Asia/Dhaka): of the current attendance records, attendance_records, and those whose
-- session (cohort and session number) has no current SessionHeld, attendance_waiting, with the
-- distinct sessions they name, sessions_waiting. Such attendance counts nowhere until its session is
-- held. docs/design.md, "Data quality".
SELECT program_id, partner_id, month,
       toUInt64(count()) AS attendance_records,
       toUInt64(countIf(held = 0)) AS attendance_waiting,
       toUInt64(uniqExactIf((aggregate_id, n), held = 0)) AS sessions_waiting
FROM (
    SELECT program_id, partner_id, aggregate_id, n, month, held
    FROM (
        SELECT program_id, partner_id, aggregate_id, assumeNotNull(session_number) AS n,
               toStartOfMonth(toDate(occurred_at, 'Asia/Dhaka')) AS month
        FROM ${db}.v_field_events_current
        WHERE event_type = 'attendance_recorded'
    ) AS attendance
    ALL LEFT JOIN (
        SELECT aggregate_id, assumeNotNull(session_number) AS n, toUInt8(1) AS held
        FROM ${db}.v_field_events_current
        WHERE event_type = 'session_held'
        GROUP BY aggregate_id, n
    ) AS session USING (aggregate_id, n)
)
GROUP BY program_id, partner_id, month
