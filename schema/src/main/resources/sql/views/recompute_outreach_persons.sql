-- The persons each outreach cell counts (recompute_outreach counts these rows): one row per program x
-- period x dimension x sex x age band cell and person reached in it, is_new = 1 when the person counts
-- in new_people_reached. A partner's cells depend only on its own records: there the person's sex and
-- age band are those the partner recorded (recompute_outreach_partner_attributes; none: unknown) and
-- the person is new when their first month reached by that partner lies in the period. The program,
-- district and upazila cells pool partners: the person's most recent record of any partner
-- (recompute_outreach_attributes), and the first month ever reached in the program.
-- A fiscal year starting in month s (4, 7 or 10) is named by the year its last month falls in:
-- the year of the month moved on by 13 - s months (FY2026-10 = October 2025 to September 2026).
SELECT program_id, period_kind, period, period_start, dimension, dimension_id, sex, age_band, person_id,
       toUInt8(max(reach_is_new)) AS is_new
FROM (
    SELECT program_id, person_id, period_kind, period, period_start,
           tupleElement(dim, 1) AS dimension, tupleElement(dim, 2) AS dimension_id, tupleElement(dim, 5) AS reach_is_new,
           tupleElement(cell, 1) AS sex, tupleElement(cell, 2) AS age_band
    FROM (
        SELECT *, arrayJoin([(tupleElement(dim, 3), tupleElement(dim, 4)), ('all', 'all')]) AS cell
        FROM (
            SELECT *, arrayJoin(arrayFilter(d -> tupleElement(d, 2) != '', [
                       ('program', program_id, pooled_sex, pooled_band, pooled_is_new),
                       ('partner', partner_id, own_sex, own_band, own_is_new),
                       ('district', district_key, pooled_sex, pooled_band, pooled_is_new),
                       ('upazila', upazila_key, pooled_sex, pooled_band, pooled_is_new)])) AS dim
            FROM (
                SELECT *,
                    tupleElement(per, 1) AS period_kind, tupleElement(per, 2) AS period,
                    tupleElement(per, 3) AS period_start, tupleElement(per, 4) AS pooled_is_new, tupleElement(per, 5) AS own_is_new,
                    if(p_sex = '', 'unknown', p_sex) AS pooled_sex, if(p_band = '', 'unknown', p_band) AS pooled_band,
                    if(o_sex = '', 'unknown', o_sex) AS own_sex, if(o_band = '', 'unknown', o_band) AS own_band
                FROM (
                    SELECT *, arrayJoin([
                        ('month', substring(toString(month), 1, 7), month, toUInt8(month = first_month),
                            toUInt8(month = own_first_month)),
                        ('quarter', concat(toString(toYear(month)), '-Q', toString(toQuarter(month))), toStartOfQuarter(month),
                            toUInt8(toStartOfQuarter(month) = toStartOfQuarter(first_month)),
                            toUInt8(toStartOfQuarter(month) = toStartOfQuarter(own_first_month))),
                        ('year', toString(toYear(month)), toStartOfYear(month), toUInt8(toYear(month) = toYear(first_month)),
                            toUInt8(toYear(month) = toYear(own_first_month))),
                        ('fiscal_year', concat('FY', toString(toYear(addMonths(month, 9))), '-04'),
                            addMonths(toStartOfYear(addMonths(month, 9)), -9),
                            toUInt8(toYear(addMonths(month, 9)) = toYear(addMonths(first_month, 9))),
                            toUInt8(toYear(addMonths(month, 9)) = toYear(addMonths(own_first_month, 9)))),
                        ('fiscal_year', concat('FY', toString(toYear(addMonths(month, 6))), '-07'),
                            addMonths(toStartOfYear(addMonths(month, 6)), -6),
                            toUInt8(toYear(addMonths(month, 6)) = toYear(addMonths(first_month, 6))),
                            toUInt8(toYear(addMonths(month, 6)) = toYear(addMonths(own_first_month, 6)))),
                        ('fiscal_year', concat('FY', toString(toYear(addMonths(month, 3))), '-10'),
                            addMonths(toStartOfYear(addMonths(month, 3)), -3),
                            toUInt8(toYear(addMonths(month, 3)) = toYear(addMonths(first_month, 3))),
                            toUInt8(toYear(addMonths(month, 3)) = toYear(addMonths(own_first_month, 3)))),
                        ('to_date', 'all', program_start, toUInt8(1), toUInt8(1))]) AS per
                    FROM (
                        SELECT program_id, person_id, partner_id, month, district_key, upazila_key, p_sex, p_band,
                               o_sex, o_band, first_month, own_first_month, program_start
                        FROM (
                            SELECT program_id, person_id, partner_id, month, district_key, upazila_key, p_sex, p_band,
                                   o_sex, o_band, first_month, own_first_month
                            FROM (
                                SELECT program_id, person_id, partner_id, month, district_key, upazila_key, p_sex, p_band,
                                       o_sex, o_band, first_month
                                FROM (
                                    SELECT program_id, person_id, partner_id, month, district_key, upazila_key, p_sex, p_band,
                                           o_sex, o_band
                                    FROM (
                                        SELECT program_id, person_id, partner_id, month, district_key, upazila_key, p_sex, p_band
                                        FROM (
                                            SELECT program_id, person_id, partner_id, month, district_key, upazila_key
                                            FROM (
                                                SELECT DISTINCT program_id, person_id, partner_id, month, unit_key
                                                FROM ${db}.recompute_outreach_reaches
                                            ) AS reach
                                            ALL LEFT JOIN (
                                                SELECT org_unit_id AS unit_key, ifNull(district_id, '') AS district_key,
                                                       ifNull(upazila_id, '') AS upazila_key
                                                FROM ${db}.v_org_units
                                            ) AS unit USING (unit_key)
                                        ) AS placed
                                        ALL LEFT JOIN (
                                            SELECT program_id, person_id, sex AS p_sex, age_band AS p_band
                                            FROM ${db}.recompute_outreach_attributes
                                        ) AS attributes USING (program_id, person_id)
                                    ) AS described
                                    ALL LEFT JOIN (
                                        SELECT program_id, partner_id, person_id, sex AS o_sex, age_band AS o_band
                                        FROM ${db}.recompute_outreach_partner_attributes
                                    ) AS own_attributes USING (program_id, partner_id, person_id)
                                ) AS described_by_partner
                                ALL LEFT JOIN (
                                    SELECT program_id, person_id, min(month) AS first_month
                                    FROM ${db}.recompute_outreach_reaches
                                    GROUP BY program_id, person_id
                                ) AS first_reach USING (program_id, person_id)
                            ) AS dated
                            ALL LEFT JOIN (
                                SELECT program_id, partner_id, person_id, min(month) AS own_first_month
                                FROM ${db}.recompute_outreach_reaches
                                GROUP BY program_id, partner_id, person_id
                            ) AS first_own_reach USING (program_id, partner_id, person_id)
                        ) AS dated_by_partner
                        ALL LEFT JOIN (
                            SELECT program_id, start_date AS program_start FROM ${db}.v_programs
                        ) AS program USING (program_id)
                    )
                )
            )
        )
    )
)
GROUP BY program_id, period_kind, period, period_start, dimension, dimension_id, sex, age_band, person_id
