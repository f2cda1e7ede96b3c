-- Attendance of held dialogues by role and sex (attendees without a person id included).
SELECT program_id, partner_id, dialogue_id, kind, held_on, role, sex, attendees
FROM (
    SELECT aggregate_id, assumeNotNull(role) AS role, ifNull(sex, 'unknown') AS sex,
           toInt32(count()) AS attendees
    FROM ${db}.v_field_events_current
    WHERE event_type = 'dialogue_attended'
    GROUP BY aggregate_id, role, sex
) AS attendance
ALL INNER JOIN (
    SELECT aggregate_id,
           tupleElement(held, 1) AS program_id,
           tupleElement(held, 2) AS partner_id,
           tupleElement(held, 3) AS dialogue_id,
           tupleElement(held, 4) AS kind,
           tupleElement(held, 5) AS held_on
    FROM (
        SELECT aggregate_id,
               argMax((program_id, partner_id, assumeNotNull(dialogue_id), assumeNotNull(kind), assumeNotNull(held_on)),
                      (occurred_at, event_id)) AS held
        FROM ${db}.v_field_events_current
        WHERE event_type = 'dialogue_held'
        GROUP BY aggregate_id
    )
) AS dialogue USING (aggregate_id)
