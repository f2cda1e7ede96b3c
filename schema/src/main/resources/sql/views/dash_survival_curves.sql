-- Dashboard: survival curve per cohort (one point per held session), in total: the rows of
-- v_retention_curve where sex = age_band = 'all'. Read from retention_curve with the grain's total
-- chosen before FINAL (PREWHERE: sex and age_band are part of the table's key, so every version of a
-- row has the same), which merges a seventh of the rows v_retention_curve merges.
SELECT program_id, partner_id, cohort_id, session_number, held_on, enrolled, surviving, survival_rate, as_of
FROM ${db}.retention_curve FINAL
PREWHERE sex = 'all' AND age_band = 'all'
WHERE deleted = 0
