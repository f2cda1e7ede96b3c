-- The exact actual of every indicator a target can name, per program x period x dimension (program,
-- partner, district, upazila). Periods: a month 2026-03, a calendar quarter 2026-Q1, a year 2026, the
-- program's fiscal year FY2026 and fiscal quarter FY2026-Q1 (v_programs.fiscal_year_start_month, 1,
-- 4, 7 or 10; a fiscal year is named by the year it ends in: with October, FY2026 is October 2025 to
-- September 2026 and FY2026-Q1 its first three months), and life of program 'all'.
-- people_reached and new_people_reached are the outreach cells for all sexes and age bands: exact
-- distinct counts of their period, never sums (a fiscal year starting in January is the calendar
-- year's cell, another the fiscal_year cell of its start month; a fiscal quarter is a calendar
-- quarter). enrolled counts current enrolments (transfers excluded) by enrolment date; completed and
-- dropped_out count persons of that status by the date of the latest record their status reflects
-- (the participant row's as_of, in Asia/Dhaka: the exit's date, or the cohort's last held session);
-- dialogues_held counts held dialogues by their date (the rows of explain_actual_records). District
-- and upazila come from the cohort's or dialogue's org unit. A period without any record has no row (its actual is 0).
SELECT program_id, indicator, period, dimension, dimension_id, actual
FROM (
    SELECT program_id, tupleElement(figure, 1) AS indicator, period, dimension, dimension_id, tupleElement(figure, 2) AS actual
    FROM (
        SELECT program_id, dimension, dimension_id,
               arrayJoin([('people_reached', toFloat64(people_reached)), ('new_people_reached', toFloat64(new_people_reached))]) AS figure,
               arrayJoin(arrayFilter(x -> x != '', [
                   if(period_kind = 'to_date', 'all', ''),
                   if(period_kind IN ('month', 'quarter', 'year'), period, ''),
                   if(period_kind = 'year' AND fiscal_start = 1, concat('FY', period), ''),
                   if(period_kind = 'fiscal_year' AND toInt32OrZero(substring(period, 8, 2)) = fiscal_start, substring(period, 1, 6), ''),
                   if(period_kind = 'quarter',
                      concat('FY', toString(toYear(addMonths(period_start, (13 - fiscal_start) % 12))), '-Q',
                             toString(intDiv((toMonth(period_start) - fiscal_start + 12) % 12, 3) + 1)), '')])) AS period
        FROM (
            SELECT program_id, period_kind, period, period_start, dimension, dimension_id, people_reached, new_people_reached
            FROM (
                SELECT program_id, period_kind, period, period_start, dimension, dimension_id, people_reached, new_people_reached
                FROM ${db}.v_outreach
                WHERE sex = 'all' AND age_band = 'all'
            ) AS cell
        ) AS cells
        ALL INNER JOIN (
            SELECT program_id, toInt32(fiscal_year_start_month) AS fiscal_start FROM ${db}.v_programs
        ) AS program USING (program_id)
    )
    UNION ALL
    SELECT program_id, indicator, period, tupleElement(dim, 1) AS dimension, tupleElement(dim, 2) AS dimension_id, toFloat64(sum(records)) AS actual
    FROM (
        SELECT program_id, indicator, records,
               arrayJoin(arrayFilter(d -> tupleElement(d, 2) != '', [('program', program_id), ('partner', partner_id),
                   ('district', district_id), ('upazila', upazila_id)])) AS dim,
               arrayJoin([substring(toString(day), 1, 7), concat(toString(toYear(day)), '-Q', toString(toQuarter(day))), toString(toYear(day)),
                   concat('FY', toString(toYear(addMonths(day, (13 - fiscal_start) % 12)))),
                   concat('FY', toString(toYear(addMonths(day, (13 - fiscal_start) % 12))), '-Q',
                          toString(intDiv((toMonth(day) - fiscal_start + 12) % 12, 3) + 1)),
                   'all']) AS period
        FROM (
            SELECT program_id, indicator, day, partner_id, district_id, upazila_id, records, fiscal_start
            FROM (
                SELECT program_id, indicator, day, partner_id, district_id, upazila_id, count() AS records
                FROM ${db}.explain_actual_records
                GROUP BY program_id, indicator, day, partner_id, district_id, upazila_id
            ) AS placed
            ALL INNER JOIN (
                SELECT program_id, toInt32(fiscal_year_start_month) AS fiscal_start FROM ${db}.v_programs
            ) AS program USING (program_id)
        )
    )
    GROUP BY program_id, indicator, period, dimension, dimension_id
)
