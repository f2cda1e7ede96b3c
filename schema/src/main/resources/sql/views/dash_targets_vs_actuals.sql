-- Dashboard: every target next to its exact actual (actuals_by_period): a month, calendar quarter,
-- year, the program's fiscal year or fiscal quarter, or life of program ('all'). A period without any
-- record has the actual 0; achievement is actual / target (NULL for a zero target). baseline is the
-- target's, when given.
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
        FROM ${db}.actuals_by_period
    ) AS achieved USING (program_id, indicator, period, dimension, dimension_id)
)
