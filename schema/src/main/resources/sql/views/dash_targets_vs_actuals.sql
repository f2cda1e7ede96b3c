-- Dashboard: targets next to actuals. Actuals come from exact figures only: people reached per
-- quarter and to date (period 'all') from outreach; enrolled and completed to date by program and
-- partner from cohort totals; dialogues held to date by program and partner. Where no exact actual
-- exists for a target's period (a year is not a sum of quarters), actual and achievement are NULL.
SELECT program_id, indicator, period, dimension, dimension_id, target,
       if(matched = 1, actual, NULL) AS actual,
       if(matched = 1, actual / nullIf(target, 0), NULL) AS achievement
FROM (
    SELECT program_id, indicator, period, dimension, dimension_id, target, actual, matched
    FROM (
        SELECT program_id, indicator, period, dimension, dimension_id, target FROM ${db}.v_targets
    ) AS goal
    ALL LEFT JOIN (
        SELECT program_id, 'people_reached' AS indicator, if(period_kind = 'to_date', 'all', period) AS period,
               dimension, dimension_id, toFloat64(people_reached) AS actual, 1 AS matched
        FROM ${db}.v_outreach
        WHERE period_kind IN ('quarter', 'to_date') AND sex = 'all' AND age_band = 'all'
        UNION ALL
        SELECT program_id, 'enrolled' AS indicator, 'all' AS period, 'program' AS dimension, program_id AS dimension_id,
               toFloat64(sum(enrolled)) AS actual, 1 AS matched
        FROM ${db}.v_cohort_retention GROUP BY program_id
        UNION ALL
        SELECT program_id, 'enrolled' AS indicator, 'all' AS period, 'partner' AS dimension, partner_id AS dimension_id,
               toFloat64(sum(enrolled)) AS actual, 1 AS matched
        FROM ${db}.v_cohort_retention GROUP BY program_id, partner_id
        UNION ALL
        SELECT program_id, 'completed' AS indicator, 'all' AS period, 'program' AS dimension, program_id AS dimension_id,
               toFloat64(sum(completed)) AS actual, 1 AS matched
        FROM ${db}.v_cohort_retention GROUP BY program_id
        UNION ALL
        SELECT program_id, 'completed' AS indicator, 'all' AS period, 'partner' AS dimension, partner_id AS dimension_id,
               toFloat64(sum(completed)) AS actual, 1 AS matched
        FROM ${db}.v_cohort_retention GROUP BY program_id, partner_id
        UNION ALL
        SELECT program_id, 'dialogues_held' AS indicator, 'all' AS period, 'program' AS dimension, program_id AS dimension_id,
               toFloat64(count()) AS actual, 1 AS matched
        FROM ${db}.v_dialogues GROUP BY program_id
        UNION ALL
        SELECT program_id, 'dialogues_held' AS indicator, 'all' AS period, 'partner' AS dimension, partner_id AS dimension_id,
               toFloat64(count()) AS actual, 1 AS matched
        FROM ${db}.v_dialogues GROUP BY program_id, partner_id
    ) AS achieved USING (program_id, indicator, period, dimension, dimension_id)
)
