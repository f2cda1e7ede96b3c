-- The records behind each person's status in a cohort, for explaining a figure (fieldstream explain):
-- every event of a record (root_id within the cohort's aggregate) that names the person (enrolments,
-- attendance, exits), every revision of it, the retractions of it included. record_state: current (the
-- record's current event, the one the figures count), superseded (replaced by a higher revision, or
-- by an equal one that wins the latest-revision rule), retraction (the retraction that voids the
-- record), retracted (an event of a record that a retraction voids). record_date is the record's own
-- date in Asia/Dhaka (occurred_at: the receive time where the row had no date, as for retractions).
SELECT program_id, partner_id, cohort_id, person_id, event_id, event_type, record_date, received_at, source, source_ref,
       revision, record_state, root_id, aggregate_id
FROM (
    SELECT program_id, partner_id, cohort_id, person_id, event_id, event_type, record_date, received_at, source, source_ref,
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
        SELECT aggregate_id, root_id, r_cohort AS cohort_id, r_person AS person_id, current_event_id, voided
        FROM (
            SELECT aggregate_id, root_id,
                   max(ifNull(cohort_id, '')) AS r_cohort,
                   max(ifNull(person_id, '')) AS r_person,
                   argMax(event_id, (revision, event_type = 'record_retracted', event_id)) AS current_event_id,
                   toUInt8(argMax(event_type = 'record_retracted', (revision, event_type = 'record_retracted', event_id))) AS voided
            FROM ${db}.field_events FINAL
            WHERE event_type IN ('participant_enrolled', 'attendance_recorded', 'participant_exited', 'record_retracted')
            GROUP BY aggregate_id, root_id
        )
        WHERE r_person != ''
    ) AS record USING (aggregate_id, root_id)
)
