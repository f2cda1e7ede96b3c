-- Every registered cohort with its program, partner and start date: the current event of each
-- registration record (the highest revision; on equal revisions a retraction, then the greater
-- event_id; of one event the highest version, as FINAL keeps), read from the events of registration
-- records only. A record whose current event is a retraction is void. Filters cohorts by start date
-- without reading every record's current state.
SELECT program_id, partner_id, cohort_id, start_date
FROM (
    SELECT tupleElement(current, 1) AS program_id, tupleElement(current, 2) AS partner_id,
           tupleElement(current, 3) AS cohort_id, tupleElement(current, 4) AS start_date, tupleElement(current, 5) AS current_type
    FROM (
        SELECT argMax((program_id, partner_id, ifNull(cohort_id, ''), ifNull(start_date, toDate('1970-01-01')), event_type,
                       isNull(cohort_id) OR isNull(start_date)),
                      (revision, event_type = 'record_retracted', event_id, version)) AS current
        FROM ${db}.cohort_start_events
        WHERE root_id IN (SELECT root_id FROM ${db}.cohort_start_events WHERE event_type = 'training_cohort_registered')
        GROUP BY aggregate_id, root_id
    )
    WHERE tupleElement(current, 5) = 'training_cohort_registered' AND tupleElement(current, 6) = 0
)
