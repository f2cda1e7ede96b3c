-- Every reach of a person: present at a held session of any cohort (enrolled or not), or an
-- identified attendee of a held dialogue. month = first day of the session's or dialogue's month,
-- org unit = the cohort's registration's or the dialogue's ('' when unknown).
SELECT program_id, person_id, partner_id, month, unit_key
FROM (
    SELECT program_id, person_id, partner_id, toStartOfMonth(held_on) AS month, ifNull(org_unit_id, '') AS unit_key
    FROM (
        SELECT program_id, person_id, partner_id, held_on, org_unit_id
        FROM (
            SELECT program_id, person_id, partner_id, aggregate_id, held_on
            FROM (
                SELECT program_id, partner_id, aggregate_id,
                       toInt32(assumeNotNull(session_number)) AS session_number, assumeNotNull(person_id) AS person_id
                FROM ${db}.v_field_events_current
                WHERE event_type = 'attendance_recorded' AND status = 'present'
            ) AS presence
            ALL INNER JOIN (
                SELECT aggregate_id, toInt32(assumeNotNull(session_number)) AS session_number,
                       min(assumeNotNull(held_on)) AS held_on
                FROM ${db}.v_field_events_current
                WHERE event_type = 'session_held'
                GROUP BY aggregate_id, session_number
            ) AS session USING (aggregate_id, session_number)
        ) AS held
        ALL LEFT JOIN (
            SELECT aggregate_id, tupleElement(argMax(tuple(org_unit_id), (occurred_at, event_id)), 1) AS org_unit_id
            FROM ${db}.v_field_events_current
            WHERE event_type = 'training_cohort_registered'
            GROUP BY aggregate_id
        ) AS registration USING (aggregate_id)
    )
    UNION ALL
    SELECT program_id, person_id, partner_id, toStartOfMonth(held_on) AS month, ifNull(d_org_unit_id, '') AS unit_key
    FROM (
        SELECT program_id, person_id, partner_id, held_on, d_org_unit_id
        FROM (
            SELECT program_id, partner_id, aggregate_id, assumeNotNull(person_id) AS person_id
            FROM (
                SELECT * FROM ${db}.v_field_events_current
                WHERE event_type = 'dialogue_attended' AND person_id IS NOT NULL
            )
        ) AS attendee
        ALL INNER JOIN (
            SELECT aggregate_id, tupleElement(held, 1) AS held_on, tupleElement(held, 2) AS d_org_unit_id
            FROM (
                SELECT aggregate_id,
                       argMax((assumeNotNull(held_on), org_unit_id), (occurred_at, event_id)) AS held
                FROM ${db}.v_field_events_current
                WHERE event_type = 'dialogue_held'
                GROUP BY aggregate_id
            )
        ) AS dialogue USING (aggregate_id)
    )
)
