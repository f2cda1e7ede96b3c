-- A partner's outreach figures depend only on its own records. A person id is shared by the partners
-- of a program, so the outreach cells of dimension partner take the person's sex, age band and first
-- month reached from that partner's records only; the program, district and upazila cells keep the
-- records of every partner. The recomputation follows (invariant 3): a new view of the attributes
-- each partner recorded, and recompute_outreach replaced.

-- A person's outreach sex and age band as one partner recorded them: as recompute_outreach_attributes
-- over that partner's records only (its cohorts' enrolments, its dialogues' attendance).
DROP TABLE IF EXISTS ${db}.recompute_outreach_partner_attributes;
CREATE VIEW IF NOT EXISTS ${db}.recompute_outreach_partner_attributes AS
SELECT program_id, partner_id, person_id, tupleElement(attr, 1) AS sex, tupleElement(attr, 2) AS age_band
FROM (
    SELECT program_id, partner_id, person_id, argMax((c_sex, c_band), (on_date, rank, source_id)) AS attr
    FROM (
        SELECT program_id, partner_id, person_id, tupleElement(earliest, 3) AS on_date, 1 AS rank, aggregate_id AS source_id,
               tupleElement(earliest, 1) AS c_sex, tupleElement(earliest, 2) AS c_band
        FROM (
            SELECT program_id, partner_id, aggregate_id, person_id,
                   argMin((e_sex, e_band, e_enrolled_on), (e_enrolled_on, event_id)) AS earliest
            FROM (
                SELECT program_id, partner_id, aggregate_id, assumeNotNull(person_id) AS person_id, event_id,
                       assumeNotNull(enrolled_on) AS e_enrolled_on, ifNull(sex, 'unknown') AS e_sex,
                       multiIf(ifNull(a, -1) < 0, 'unknown', ifNull(a, -1) < 15, 'under_15', ifNull(a, -1) < 30, 'youth_15_29', 'adult_30_plus') AS e_band
                FROM (
                    SELECT *, if(birth_year IS NULL, age, toYear(assumeNotNull(enrolled_on)) - birth_year) AS a
                    FROM ${db}.v_field_events_current
                    WHERE event_type = 'participant_enrolled'
                )
            )
            GROUP BY program_id, partner_id, aggregate_id, person_id
        )
        UNION ALL
        SELECT program_id, partner_id, person_id, held_on AS on_date, 0 AS rank, aggregate_id AS source_id,
               tupleElement(first_attr, 1) AS c_sex, tupleElement(first_attr, 2) AS c_band
        FROM (
            SELECT program_id, partner_id, person_id, aggregate_id, first_attr, held_on
            FROM (
                SELECT program_id, partner_id, person_id, aggregate_id, argMin((d_sex, d_band), event_id) AS first_attr
                FROM (
                    SELECT program_id, partner_id, assumeNotNull(person_id) AS person_id, aggregate_id, event_id,
                           ifNull(sex, 'unknown') AS d_sex,
                           multiIf(ifNull(age, -1) < 0, 'unknown', ifNull(age, -1) < 15, 'under_15', ifNull(age, -1) < 30, 'youth_15_29', 'adult_30_plus') AS d_band
                    FROM (
                        SELECT * FROM ${db}.v_field_events_current
                        WHERE event_type = 'dialogue_attended' AND person_id IS NOT NULL
                    )
                )
                GROUP BY program_id, partner_id, person_id, aggregate_id
            ) AS attendee
            ALL INNER JOIN (
                SELECT aggregate_id, tupleElement(argMax(tuple(assumeNotNull(held_on)), (occurred_at, event_id)), 1) AS held_on
                FROM ${db}.v_field_events_current
                WHERE event_type = 'dialogue_held'
                GROUP BY aggregate_id
            ) AS dialogue USING (aggregate_id)
        )
    )
    GROUP BY program_id, partner_id, person_id
);

-- Outreach: distinct persons per program x period (month, quarter, to_date) x dimension (program,
-- partner, district, upazila via the org unit's ancestry) x (the person's sex x age band, and all x
-- all), exact counts. A partner's cells depend only on its own records: there the person's sex and
-- age band are those the partner recorded (recompute_outreach_partner_attributes; none: unknown) and
-- new_people_reached counts the persons whose first month reached by that partner lies in the
-- period. The program, district and upazila cells pool partners: the person's most recent record of
-- any partner (recompute_outreach_attributes), and the first month ever reached in the program.
DROP TABLE IF EXISTS ${db}.recompute_outreach;
CREATE VIEW IF NOT EXISTS ${db}.recompute_outreach AS
SELECT program_id, period_kind, period, period_start, dimension, dimension_id, sex, age_band,
       toInt64(uniqExact(person_id)) AS people_reached,
       toInt64(uniqExactIf(person_id, is_new = 1)) AS new_people_reached
FROM (
    SELECT program_id, person_id, period_kind, period, period_start,
           tupleElement(dim, 1) AS dimension, tupleElement(dim, 2) AS dimension_id, tupleElement(dim, 5) AS is_new,
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
GROUP BY program_id, period_kind, period, period_start, dimension, dimension_id, sex, age_band;
