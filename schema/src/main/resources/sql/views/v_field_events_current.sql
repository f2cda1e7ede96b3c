-- The current state of every record (root_id within its aggregate): the event with the highest
-- revision; on equal revisions a retraction, then the greater event_id. A record whose current event
-- is a retraction is void.
SELECT *
FROM ${db}.field_events FINAL
WHERE (aggregate_id, root_id, event_id) IN (
    SELECT aggregate_id, root_id, argMax(event_id, (revision, event_type = 'record_retracted', event_id))
    FROM ${db}.field_events FINAL
    GROUP BY aggregate_id, root_id
)
AND event_type != 'record_retracted'
