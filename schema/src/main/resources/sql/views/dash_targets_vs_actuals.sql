-- Dashboard: every target next to its exact actual (actuals_by_period for counts, rate_actuals_by_period
-- for retention_rate, dropout_rate and dialogue_attendance): a month, calendar quarter, year, the
-- program's fiscal year or fiscal quarter, or life of program ('all'). A period without any record has
-- the actual 0 (a rate of no cohort started in the period too, as a rate over no person is 0 in the
-- cohort rates); achievement is actual / target (NULL for a zero target). baseline is the target's, when
-- given. Rate targets, actuals and baselines are fractions from 0 to 1.
SELECT program_id, indicator, period, dimension, dimension_id, target,
       if(matched = 1, actual, toFloat64(0)) AS actual,
       if(matched = 1, actual, toFloat64(0)) / nullIf(target, 0) AS achievement,
       baseline
FROM (
    SELECT program_id, indicator, period, dimension, dimension_id, target, baseline, actual, matched
    FROM (
        SELECT program_id, indicator, period, dimension, dimension_id, target, baseline FROM ${db}.v_targets
    ) AS goal
    ALL LEFT JOIN (
        SELECT program_id, indicator, period, dimension, dimension_id, actual, toUInt8(1) AS matched
        FROM (
            SELECT program_id, indicator, period, dimension, dimension_id, actual FROM ${db}.actuals_by_period
            UNION ALL
            SELECT program_id, indicator, period, dimension, dimension_id, actual FROM ${db}.rate_actuals_by_period
        )
    ) AS achieved USING (program_id, indicator, period, dimension, dimension_id)
)
