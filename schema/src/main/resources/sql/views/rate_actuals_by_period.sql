-- The actuals of the indicators a target can name besides the counts of actuals_by_period, per program
-- x period x dimension (program, partner, district, upazila), periods as in actuals_by_period (month,
-- calendar quarter, year, the program's fiscal year and fiscal quarter, 'all'):
-- retention_rate = (active + completed) / enrolled and dropout_rate = dropped_out / enrolled over the
-- persons of the cohorts whose registered start date (v_cohort_starts) lies in the period, summed over
-- the cohorts' sex x age band rows of v_cohort_retention_by_group (transfers are in no denominator), a
-- fraction from 0 to 1; dialogue_attendance = attendees of the dialogues held in the period (officials
-- noted by role included). The same figures as the IPTT's (actuals_by_breakdown: cohort_retained,
-- cohort_dropped_out and dialogue_attendance over cohort_enrolled, breakdown 'all'). A period in which
-- no cohort with an enrolled person started, or no dialogue was held, has no row. The figures are
-- summed per program, partner, org unit and day before they are expanded into periods and dimensions
-- (as actuals_by_period counts its records).
SELECT program_id, indicator, period, dimension, dimension_id, actual
FROM (
    SELECT program_id, indicator, period, dimension, dimension_id,
           if(indicator = 'dialogue_attendance', counted, counted / persons) AS actual, persons
    FROM (
        SELECT program_id, indicator, period, tupleElement(dim, 1) AS dimension, tupleElement(dim, 2) AS dimension_id,
               sum(tupleElement(figure, 2)) AS counted, sum(tupleElement(figure, 3)) AS persons
        FROM (
            SELECT program_id, tupleElement(figure, 1) AS indicator,
                   arrayJoin([('retention_rate', retained, enrolled), ('dropout_rate', dropped, enrolled),
                              ('dialogue_attendance', attendees, dialogues)]) AS figure,
                   arrayJoin(arrayFilter(d -> tupleElement(d, 2) != '', [('program', program_id), ('partner', partner_id),
                       ('district', district_key), ('upazila', upazila_key)])) AS dim,
                   arrayJoin([substring(toString(day), 1, 7), concat(toString(toYear(day)), '-Q', toString(toQuarter(day))), toString(toYear(day)),
                       concat('FY', toString(toYear(addMonths(day, (13 - fiscal_start) % 12)))),
                       concat('FY', toString(toYear(addMonths(day, (13 - fiscal_start) % 12))), '-Q',
                              toString(intDiv((toMonth(day) - fiscal_start + 12) % 12, 3) + 1)),
                       'all']) AS period
            FROM (
                SELECT program_id, day, partner_id, district_key, upazila_key, fiscal_start, retained, dropped, enrolled, attendees, dialogues
                FROM (
                    SELECT program_id, day, partner_id, district_key, upazila_key, retained, dropped, enrolled, attendees, dialogues
                    FROM (
                        SELECT program_id, partner_id, unit_key, day, sum(retained) AS retained, sum(dropped) AS dropped,
                               sum(enrolled) AS enrolled, sum(attendees) AS attendees, sum(dialogues) AS dialogues
                        FROM (
                            SELECT program_id, partner_id, ifNull(org_unit_id, '') AS unit_key, held_on AS day, toFloat64(0) AS retained,
                                   toFloat64(0) AS dropped, toFloat64(0) AS enrolled, toFloat64(attendees) AS attendees,
                                   toFloat64(1) AS dialogues
                            FROM ${db}.v_dialogues
                            UNION ALL
                            SELECT program_id, partner_id, unit_key, start_date AS day, toFloat64(active + completed) AS retained,
                                   toFloat64(dropped_out) AS dropped, toFloat64(enrolled) AS enrolled, toFloat64(0) AS attendees,
                                   toFloat64(0) AS dialogues
                            FROM (
                                SELECT program_id, partner_id, unit_key, enrolled, active, completed, dropped_out, start_date
                                FROM (
                                    SELECT program_id, partner_id, cohort_id, ifNull(org_unit_id, '') AS unit_key, enrolled, active, completed,
                                           dropped_out
                                    FROM ${db}.v_cohort_retention_by_group
                                    WHERE sex != 'all' AND age_band != 'all'
                                ) AS cohort_group
                                ALL INNER JOIN (
                                    SELECT program_id, partner_id, cohort_id, min(start_date) AS start_date
                                    FROM ${db}.v_cohort_starts
                                    GROUP BY program_id, partner_id, cohort_id
                                ) AS cohort_start USING (program_id, partner_id, cohort_id)
                            )
                        )
                        GROUP BY program_id, partner_id, unit_key, day
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
        GROUP BY program_id, indicator, period, dimension, dimension_id
    )
    WHERE persons > 0
)
