-- Dialogues held (current DialogueHeld), every current attendee counted by sex, distinct identified
-- persons.
SELECT program_id, partner_id, org_unit_id, dialogue_id, kind, topic, held_on,
       toInt32(attendees) AS attendees,
       toInt32(attendees_female) AS attendees_female,
       toInt32(attendees_male) AS attendees_male,
       toInt32(attendees_other) AS attendees_other,
       toInt32(attendees_unknown) AS attendees_unknown,
       toInt32(identified_persons) AS identified_persons
FROM (
    SELECT program_id, partner_id, org_unit_id, dialogue_id, kind, topic, held_on, attendees, attendees_female,
           attendees_male, attendees_other, attendees_unknown, identified_persons
    FROM (
        SELECT aggregate_id,
               tupleElement(held, 1) AS program_id,
               tupleElement(held, 2) AS partner_id,
               tupleElement(held, 3) AS org_unit_id,
               tupleElement(held, 4) AS dialogue_id,
               tupleElement(held, 5) AS kind,
               tupleElement(held, 6) AS topic,
               tupleElement(held, 7) AS held_on
        FROM (
            SELECT aggregate_id,
                   argMax((program_id, partner_id, org_unit_id, assumeNotNull(dialogue_id), assumeNotNull(kind),
                           assumeNotNull(topic), assumeNotNull(held_on)), (occurred_at, event_id)) AS held
            FROM ${db}.v_field_events_current
            WHERE event_type = 'dialogue_held'
            GROUP BY aggregate_id
        )
    ) AS dialogue
    ALL LEFT JOIN (
        SELECT aggregate_id,
               count() AS attendees,
               countIf(ifNull(sex, 'unknown') = 'female') AS attendees_female,
               countIf(ifNull(sex, 'unknown') = 'male') AS attendees_male,
               countIf(ifNull(sex, 'unknown') = 'other') AS attendees_other,
               countIf(ifNull(sex, 'unknown') = 'unknown') AS attendees_unknown,
               uniqExactIf(assumeNotNull(person_id), person_id IS NOT NULL) AS identified_persons
        FROM ${db}.v_field_events_current
        WHERE event_type = 'dialogue_attended'
        GROUP BY aggregate_id
    ) AS attendance USING (aggregate_id)
)
