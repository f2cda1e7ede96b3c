-- The actuals of actuals_by_period broken down, and the figures the IPTT reports besides them, per
-- program x period x dimension (program, partner, district, upazila) x breakdown x category; periods
-- as in actuals_by_period (month, calendar quarter, year, the program's fiscal year and fiscal
-- quarter, 'all'). breakdown 'sex' (female, male, other, unknown), 'age_band' (under_15, youth_15_29,
-- adult_30_plus, unknown), 'kind' (a dialogue's kind) or 'all' (category 'all': the figure's total).
-- people_reached and new_people_reached by sex and by age band: the outreach cells of the period's
-- sex x age band groups summed over the other attribute; a person sits in exactly one group of a
-- cell, so the sums are exact distinct counts of the period (never sums over periods).
-- enrolled, completed and dropped_out by sex and by age band: persons counted by the dates of
-- actuals_by_period. dialogues_held by kind. dialogue_attendance: attendees of the dialogues held in
-- the period (officials noted by role included), in total and by sex (dialogue rows hold no age).
-- cohort_enrolled, cohort_retained (active + completed) and cohort_dropped_out: the persons of the
-- cohorts whose registered start date lies in the period, in total, by sex and by age band, summed
-- over the cohorts' sex x age band rows (retention rate = cohort_retained / cohort_enrolled, dropout
-- rate = cohort_dropped_out / cohort_enrolled). A period without any record has no row.
SELECT program_id, indicator, period, dimension, dimension_id, breakdown, category, actual
FROM (
    SELECT program_id, indicator, period, dimension, dimension_id, breakdown, category, sum(value) AS actual
    FROM (
        SELECT program_id, dimension, dimension_id, tupleElement(figure, 1) AS indicator,
               tupleElement(split, 1) AS breakdown, tupleElement(split, 2) AS category,
               tupleElement(figure, 2) AS value,
               arrayJoin([('people_reached', toFloat64(people_reached)), ('new_people_reached', toFloat64(new_people_reached))]) AS figure,
               arrayJoin([('sex', sex), ('age_band', age_band)]) AS split,
               arrayJoin(arrayFilter(x -> x != '', [
                   if(period_kind = 'to_date', 'all', ''),
                   if(period_kind IN ('month', 'quarter', 'year'), period, ''),
                   if(period_kind = 'year' AND fiscal_start = 1, concat('FY', period), ''),
                   if(period_kind = 'fiscal_year' AND toInt32OrZero(substring(period, 8, 2)) = fiscal_start, substring(period, 1, 6), ''),
                   if(period_kind = 'quarter',
                      concat('FY', toString(toYear(addMonths(period_start, (13 - fiscal_start) % 12))), '-Q',
                             toString(intDiv((toMonth(period_start) - fiscal_start + 12) % 12, 3) + 1)), '')])) AS period
        FROM (
            SELECT program_id, period_kind, period, period_start, dimension, dimension_id, sex, age_band, people_reached,
                   new_people_reached
            FROM (
                SELECT program_id, period_kind, period, period_start, dimension, dimension_id, sex, age_band, people_reached,
                       new_people_reached
                FROM ${db}.v_outreach
                WHERE sex != 'all' AND age_band != 'all'
            ) AS cell
        ) AS cells
        ALL INNER JOIN (
            SELECT program_id, toInt32(fiscal_year_start_month) AS fiscal_start FROM ${db}.v_programs
        ) AS program USING (program_id)
    )
    GROUP BY program_id, indicator, period, dimension, dimension_id, breakdown, category
    UNION ALL
    SELECT program_id, indicator, period, tupleElement(dim, 1) AS dimension, tupleElement(dim, 2) AS dimension_id,
           tupleElement(split, 1) AS breakdown, tupleElement(split, 2) AS category, sum(tupleElement(split, 3)) AS actual
    FROM (
        SELECT program_id, indicator,
               arrayJoin(splits) AS split,
               arrayJoin(arrayFilter(d -> tupleElement(d, 2) != '', [('program', program_id), ('partner', partner_id),
                   ('district', district_key), ('upazila', upazila_key)])) AS dim,
               arrayJoin([substring(toString(day), 1, 7), concat(toString(toYear(day)), '-Q', toString(toQuarter(day))), toString(toYear(day)),
                   concat('FY', toString(toYear(addMonths(day, (13 - fiscal_start) % 12)))),
                   concat('FY', toString(toYear(addMonths(day, (13 - fiscal_start) % 12))), '-Q',
                          toString(intDiv((toMonth(day) - fiscal_start + 12) % 12, 3) + 1)),
                   'all']) AS period
        FROM (
            SELECT program_id, indicator, day, splits, partner_id, district_key, upazila_key, fiscal_start
            FROM (
                SELECT program_id, indicator, day, splits, partner_id, district_key, upazila_key
                FROM (
                    SELECT program_id, 'enrolled' AS indicator, enrolled_on AS day,
                           [('sex', sex, toFloat64(1)), ('age_band', age_band, toFloat64(1))] AS splits,
                           partner_id, ifNull(org_unit_id, '') AS unit_key
                    FROM ${db}.v_participant_progress
                    WHERE status != 'transferred'
                    UNION ALL
                    SELECT program_id, status AS indicator, toDate(as_of, 'Asia/Dhaka') AS day,
                           [('sex', sex, toFloat64(1)), ('age_band', age_band, toFloat64(1))] AS splits,
                           partner_id, ifNull(org_unit_id, '') AS unit_key
                    FROM ${db}.v_participant_progress
                    WHERE status IN ('completed', 'dropped_out')
                    UNION ALL
                    SELECT program_id, 'dialogues_held' AS indicator, held_on AS day, [('kind', kind, toFloat64(1))] AS splits,
                           partner_id, ifNull(org_unit_id, '') AS unit_key
                    FROM ${db}.v_dialogues
                    UNION ALL
                    SELECT program_id, 'dialogue_attendance' AS indicator, held_on AS day,
                           [('all', 'all', toFloat64(attendees)), ('sex', 'female', toFloat64(attendees_female)),
                            ('sex', 'male', toFloat64(attendees_male)), ('sex', 'other', toFloat64(attendees_other)),
                            ('sex', 'unknown', toFloat64(attendees_unknown))] AS splits,
                           partner_id, ifNull(org_unit_id, '') AS unit_key
                    FROM ${db}.v_dialogues
                    UNION ALL
                    SELECT program_id, tupleElement(figure, 1) AS indicator, start_date AS day,
                           [('all', 'all', tupleElement(figure, 2)), ('sex', sex, tupleElement(figure, 2)),
                            ('age_band', age_band, tupleElement(figure, 2))] AS splits,
                           partner_id, unit_key
                    FROM (
                        SELECT program_id, partner_id, unit_key, sex, age_band, start_date,
                               arrayJoin([('cohort_enrolled', toFloat64(enrolled)), ('cohort_retained', toFloat64(active + completed)),
                                          ('cohort_dropped_out', toFloat64(dropped_out))]) AS figure
                        FROM (
                            SELECT program_id, partner_id, cohort_id, ifNull(org_unit_id, '') AS unit_key, sex, age_band, enrolled,
                                   active, completed, dropped_out
                            FROM ${db}.v_cohort_retention_by_group
                            WHERE sex != 'all' AND age_band != 'all'
                        ) AS cohort_group
                        ALL INNER JOIN (
                            SELECT program_id, partner_id, cohort_id, min(start_date) AS start_date
                            FROM ${db}.v_cohort_starts
                            GROUP BY program_id, partner_id, cohort_id
                        ) AS cohort_start USING (program_id, partner_id, cohort_id)
                    )
                ) AS record
                ALL LEFT JOIN (
                    SELECT org_unit_id AS unit_key, ifNull(district_id, '') AS district_key, ifNull(upazila_id, '') AS upazila_key
                    FROM ${db}.v_org_units
                ) AS unit USING (unit_key)
            ) AS placed
            ALL INNER JOIN (
                SELECT program_id, toInt32(fiscal_year_start_month) AS fiscal_start FROM ${db}.v_programs
            ) AS program USING (program_id)
        )
    )
    GROUP BY program_id, indicator, period, dimension, dimension_id, breakdown, category
)
