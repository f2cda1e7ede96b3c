-- Dashboard: survival curve per cohort (one point per held session), in total.
SELECT program_id, partner_id, cohort_id, session_number, held_on, enrolled, surviving, survival_rate, as_of
FROM ${db}.v_retention_curve
WHERE sex = 'all' AND age_band = 'all'
