-- A cohort's total recomputed from recompute_participant_status, one row per aggregate (program,
-- partner, cohort: two partners may use one cohort id), with the streamed view's names: present_total
-- and expected_total, and the same figures as sessions_attended and sessions_expected
-- (docs/design.md, "Names of figures").
SELECT
    program_id, partner_id, cohort_id, planned_sessions AS sessions_planned, sessions_held,
    enrolled, active, completed, dropped_out, transferred, present_total, expected_total,
    present_total AS sessions_attended, expected_total AS sessions_expected,
    (active + completed) / nullIf(enrolled, 0) AS retention_rate,
    dropped_out / nullIf(enrolled, 0) AS dropout_rate,
    completed / nullIf(enrolled, 0) AS completion_rate,
    present_total / nullIf(expected_total, 0) AS attendance_rate
FROM (
    -- partner_id, cohort_id, planned_sessions and sessions_held are the same on every row of an aggregate
    SELECT program_id, aggregate_id, any(partner_id) AS partner_id, any(cohort_id) AS cohort_id,
           any(planned_sessions) AS planned_sessions, any(sessions_held) AS sessions_held,
           countIf(status != 'transferred') AS enrolled,
           countIf(status = 'active') AS active,
           countIf(status = 'completed') AS completed,
           countIf(status = 'dropped_out') AS dropped_out,
           countIf(status = 'transferred') AS transferred,
           sumIf(sessions_attended, status != 'transferred') AS present_total,
           sumIf(sessions_expected, status != 'transferred') AS expected_total
    FROM ${db}.recompute_participant_status
    GROUP BY program_id, aggregate_id
)
