-- dash_targets_vs_actuals showed 0 (the join's default) where no exact actual exists for a
-- target's period, e.g. yearly targets: people reached is exact per month, quarter and to date
-- only (a year is not a sum of quarters), enrolled, completed and dialogues held to date only. An
-- analyst read that as "0 achieved". Now such rows have actual and achievement NULL.

DROP TABLE IF EXISTS ${db}.dash_targets_vs_actuals;

CREATE VIEW IF NOT EXISTS ${db}.dash_targets_vs_actuals AS
SELECT program_id, indicator, period, dimension, dimension_id, target,
       if(matched = 1, actual, NULL) AS actual,
       if(matched = 1, actual / nullIf(target, 0), NULL) AS achievement
FROM ${db}.v_targets
ANY LEFT JOIN (
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
) USING (program_id, indicator, period, dimension, dimension_id);
