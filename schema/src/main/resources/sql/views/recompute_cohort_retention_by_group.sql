-- Cohort figures by sex x age band: a row for every group with a current enrolment, transferred
-- persons included in the row but not in its denominators; present_total and expected_total shown
-- as sessions_attended and sessions_expected too (docs/design.md, "Names of figures").
SELECT
    program_id, partner_id, org_unit_id, cohort_id, sex, age_band, sessions_planned, sessions_held,
    enrolled, active, completed, dropped_out, transferred, present_total, expected_total,
    present_total AS sessions_attended, expected_total AS sessions_expected,
    if(enrolled = 0, 0., (active + completed) / enrolled) AS retention_rate,
    if(enrolled = 0, 0., dropped_out / enrolled) AS dropout_rate,
    if(enrolled = 0, 0., completed / enrolled) AS completion_rate,
    if(expected_total = 0, 0., present_total / expected_total) AS attendance_rate
FROM (
    -- the cohort's columns are the same on every row of an aggregate
    SELECT aggregate_id, sex, age_band,
           any(program_id) AS program_id, any(partner_id) AS partner_id, any(org_unit_id) AS org_unit_id,
           any(cohort_id) AS cohort_id, any(sessions_planned) AS sessions_planned, any(sessions_held) AS sessions_held,
           toInt32(countIf(status != 'transferred')) AS enrolled,
           toInt32(countIf(status = 'active')) AS active,
           toInt32(countIf(status = 'completed')) AS completed,
           toInt32(countIf(status = 'dropped_out')) AS dropped_out,
           toInt32(countIf(status = 'transferred')) AS transferred,
           toInt32(sumIf(sessions_attended, status != 'transferred')) AS present_total,
           toInt32(sumIf(sessions_expected, status != 'transferred')) AS expected_total
    FROM ${db}.recompute_participant_detail
    GROUP BY aggregate_id, sex, age_band
)
