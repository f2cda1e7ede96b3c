-- Every reach of a person with the record behind it, for explaining people_reached (fieldstream explain):
-- a current presence at a held session of any cohort (the session's month), or a current identified
-- attendance at a held dialogue (the dialogue's month), as recompute_outreach_reaches counts them, with
-- the record's event id, type, received_at, source, source_ref and revision; record_date is the
-- session's or the dialogue's date.
SELECT program_id, partner_id, person_id, month, event_id, event_type, record_date, received_at, source, source_ref, revision,
       aggregate_id
FROM (
    SELECT program_id, partner_id, person_id, toStartOfMonth(held_on) AS month, event_id, event_type, held_on AS record_date,
           received_at, source, source_ref, revision, aggregate_id
    FROM (
        SELECT program_id, partner_id, person_id, aggregate_id, held_on, event_id, event_type, received_at, source, source_ref, revision
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
    )
    UNION ALL
    SELECT program_id, partner_id, person_id, toStartOfMonth(held_on) AS month, event_id, event_type, held_on AS record_date,
           received_at, source, source_ref, revision, aggregate_id
    FROM (
        SELECT program_id, partner_id, person_id, aggregate_id, held_on, event_id, event_type, received_at, source, source_ref, revision
        FROM (
            SELECT program_id, partner_id, aggregate_id, assumeNotNull(person_id) AS person_id,
                   event_id, event_type, received_at, source, source_ref, revision
            FROM (
                SELECT * FROM ${db}.v_field_events_current
                WHERE event_type = 'dialogue_attended' AND person_id IS NOT NULL
            )
        ) AS attendee
        ALL INNER JOIN (
            SELECT aggregate_id, tupleElement(held, 1) AS held_on
            FROM (
                SELECT aggregate_id, argMax(tuple(assumeNotNull(held_on)), (occurred_at, event_id)) AS held
                FROM ${db}.v_field_events_current
                WHERE event_type = 'dialogue_held'
                GROUP BY aggregate_id
            )
        ) AS dialogue USING (aggregate_id)
    )
)
