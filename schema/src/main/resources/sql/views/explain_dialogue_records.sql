-- The records behind a dialogue's attendance, for explaining it (fieldstream explain): every event of
-- every attendance record (root_id within the dialogue's aggregate), every revision of it, the
-- retractions of it included, with the attendee's person id ('' for a stakeholder noted by role) and
-- role as the record's current attendance names them. record_state as in explain_person_records:
-- current (the event the attendance counts), superseded, retraction, retracted. A record counts in
-- recompute_dialogue_attendance when one of its events is current and the dialogue is held.
SELECT program_id, partner_id, dialogue_id, person_id, role, event_id, event_type, record_date, received_at, source, source_ref,
       revision, record_state, root_id, aggregate_id
FROM (
    SELECT program_id, partner_id, dialogue_id, person_id, role, event_id, event_type, record_date, received_at, source, source_ref,
           revision,
           multiIf(event_id = current_event_id, if(voided = 1, 'retraction', 'current'),
                   voided = 1, 'retracted', 'superseded') AS record_state,
           root_id, aggregate_id
    FROM (
        SELECT program_id, partner_id, aggregate_id, root_id, event_id, event_type, revision,
               toDate(occurred_at, 'Asia/Dhaka') AS record_date, received_at, source, source_ref
        FROM ${db}.field_events FINAL
    ) AS event
    ALL INNER JOIN (
        SELECT aggregate_id, root_id, tupleElement(named, 1) AS dialogue_id, tupleElement(named, 2) AS person_id,
               tupleElement(named, 3) AS role, current_event_id, voided
        FROM (
            SELECT aggregate_id, root_id,
                   argMax((ifNull(dialogue_id, ''), ifNull(person_id, ''), ifNull(role, '')),
                          (event_type = 'dialogue_attended', revision, event_id)) AS named,
                   argMax(event_id, (revision, event_type = 'record_retracted', event_id)) AS current_event_id,
                   toUInt8(argMax(event_type = 'record_retracted', (revision, event_type = 'record_retracted', event_id))) AS voided,
                   countIf(event_type = 'dialogue_attended') AS attendances
            FROM ${db}.field_events FINAL
            WHERE event_type IN ('dialogue_attended', 'record_retracted')
            GROUP BY aggregate_id, root_id
        )
        WHERE attendances > 0
    ) AS record USING (aggregate_id, root_id)
)
