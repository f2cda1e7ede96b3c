-- The records a target's actual counts (actuals_by_period counts these rows), for explaining it
-- (fieldstream explain): enrolled, one row per current enrolment (transfers excluded) on its
-- enrolment date; completed and dropped_out, one row per person of that status in a cohort on the
-- date of the latest record their status reflects (the participant row's as_of in Asia/Dhaka);
-- dialogues_held, one row per held dialogue on its date (person_id ''). district_id and upazila_id
-- come from the cohort's or dialogue's org unit ('' when unknown); cohort_id or dialogue_id names the
-- record's cohort or dialogue.
SELECT program_id, indicator, day, partner_id, district_id, upazila_id, person_id, cohort_id, dialogue_id
FROM (
    SELECT program_id, indicator, day, partner_id, ifNull(district_key, '') AS district_id, ifNull(upazila_key, '') AS upazila_id,
           person_id, cohort_id, dialogue_id
    FROM (
        SELECT program_id, indicator, day, partner_id, unit_key, person_id, cohort_id, dialogue_id
        FROM (
            SELECT program_id, 'enrolled' AS indicator, enrolled_on AS day, partner_id, ifNull(org_unit_id, '') AS unit_key,
                   person_id, cohort_id, '' AS dialogue_id
            FROM ${db}.v_participant_progress
            WHERE status != 'transferred'
            UNION ALL
            SELECT program_id, status AS indicator, toDate(as_of, 'Asia/Dhaka') AS day, partner_id, ifNull(org_unit_id, '') AS unit_key,
                   person_id, cohort_id, '' AS dialogue_id
            FROM ${db}.v_participant_progress
            WHERE status IN ('completed', 'dropped_out')
            UNION ALL
            SELECT program_id, 'dialogues_held' AS indicator, held_on AS day, partner_id, ifNull(org_unit_id, '') AS unit_key,
                   '' AS person_id, '' AS cohort_id, dialogue_id
            FROM ${db}.v_dialogues
        )
    ) AS record
    ALL LEFT JOIN (
        SELECT org_unit_id AS unit_key, ifNull(district_id, '') AS district_key, ifNull(upazila_id, '') AS upazila_key
        FROM ${db}.v_org_units
    ) AS unit USING (unit_key)
)
