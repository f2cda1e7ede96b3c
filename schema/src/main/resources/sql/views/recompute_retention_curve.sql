-- Survival curve recomputed from field_events (invariant 3), by grain: for every held session k of a
-- registered cohort, in total and for every sex x age band with a current enrolment (transferred
-- persons included, as in recompute_cohort_retention_by_group), the grain's persons not transferred
-- and those of them present at an expected session numbered k or later.
SELECT program_id, partner_id, cohort_id, sex, age_band, session_number, held_on, enrolled, surviving,
       if(enrolled = 0, 0., surviving / enrolled) AS survival_rate
FROM (
    SELECT program_id, partner_id, cohort_id, sex, age_band, session_number, held_on,
        toInt32(length(last_presents)) AS enrolled,
        toInt32(arrayCount((last, k) -> last >= k, last_presents,
                           arrayResize([session_number], length(last_presents), session_number))) AS surviving
    FROM (
        SELECT program_id, partner_id, cohort_id, sex, age_band, session_number, held_on, last_presents
        FROM (
            SELECT program_id, partner_id, cohort_id, sex, age_band, session_numbers, held_dates, last_presents
            FROM (
                SELECT aggregate_id, 'all' AS sex, 'all' AS age_band, session_numbers, held_dates,
                       program_id, partner_id, cohort_id
                FROM ${db}.recompute_held_sessions
            ) AS cohort
            ALL LEFT JOIN (
                SELECT aggregate_id, groupArrayIf(toInt32(ifNull(last_session_present, 0)), status != 'transferred') AS last_presents
                FROM ${db}.recompute_participant_detail
                GROUP BY aggregate_id
            ) AS persons USING (aggregate_id)
            UNION ALL
            SELECT program_id, partner_id, cohort_id, sex, age_band, session_numbers, held_dates, last_presents
            FROM (
                SELECT aggregate_id, sex, age_band,
                       groupArrayIf(toInt32(ifNull(last_session_present, 0)), status != 'transferred') AS last_presents
                FROM ${db}.recompute_participant_detail
                GROUP BY aggregate_id, sex, age_band
            ) AS grain
            ALL INNER JOIN (
                SELECT aggregate_id, session_numbers, held_dates, program_id, partner_id, cohort_id
                FROM ${db}.recompute_held_sessions
            ) AS cohort USING (aggregate_id)
        )
        ARRAY JOIN session_numbers AS session_number, held_dates AS held_on
    )
)
