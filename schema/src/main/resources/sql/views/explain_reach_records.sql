-- Every reach of a person with the record behind it, for explaining people_reached and
-- new_people_reached (fieldstream explain): a current presence at a held session of any cohort (the
-- session's month), or a current identified attendance at a held dialogue (the dialogue's month), as
-- recompute_outreach_reaches counts them, with the record's event id, type, received_at, source,
-- source_ref and revision; record_date is the session's or the dialogue's date; district_id and
-- upazila_id those of the cohort's registration's or the dialogue's org unit ('' when unknown).
SELECT program_id, partner_id, person_id, month, event_id, event_type, record_date, received_at, source, source_ref, revision,
       aggregate_id, district_id, upazila_id
FROM (
    SELECT program_id, partner_id, person_id, month, event_id, event_type, record_date, received_at, source, source_ref, revision,
           aggregate_id, ifNull(district_key, '') AS district_id, ifNull(upazila_key, '') AS upazila_id
    FROM (
        SELECT program_id, partner_id, person_id, month, event_id, event_type, record_date, received_at, source, source_ref, revision,
               aggregate_id, unit_key
        FROM (
            SELECT program_id, partner_id, person_id, toStartOfMonth(held_on) AS month, event_id, event_type, held_on AS record_date,
                   received_at, source, source_ref, revision, aggregate_id, ifNull(org_unit_id, '') AS unit_key
            FROM (
                SELECT program_id, partner_id, person_id, aggregate_id, held_on, event_id, event_type, received_at, source, source_ref,
                       revision, org_unit_id
                FROM (
                    SELECT program_id, partner_id, person_id, aggregate_id, held_on, event_id, event_type, received_at, source,
                           source_ref, revision
                    FROM (
                        SELECT program_id, partner_id, aggregate_id,
                               toInt32(assumeNotNull(session_number)) AS session_number, assumeNotNull(person_id) AS person_id,
                               event_id, event_type, received_at, source, source_ref, revision
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
            SELECT program_id, partner_id, person_id, toStartOfMonth(held_on) AS month, event_id, event_type, held_on AS record_date,
                   received_at, source, source_ref, revision, aggregate_id, ifNull(d_org_unit_id, '') AS unit_key
            FROM (
                SELECT program_id, partner_id, person_id, aggregate_id, held_on, event_id, event_type, received_at, source, source_ref,
                       revision, d_org_unit_id
                FROM (
                    SELECT program_id, partner_id, aggregate_id, assumeNotNull(person_id) AS person_id,
                           event_id, event_type, received_at, source, source_ref, revision
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
    ) AS reach
    ALL LEFT JOIN (
        SELECT org_unit_id AS unit_key, ifNull(district_id, '') AS district_key, ifNull(upazila_id, '') AS upazila_key
        FROM ${db}.v_org_units
    ) AS unit USING (unit_key)
)
