-- The current state of every record (root_id within its aggregate): the event with the highest
-- revision; on equal revisions a retraction, then the greater event_id. A record whose current event
-- is a retraction is void. The order is read as one string, compared byte by byte: the revision
-- (offset to eleven digits), 1 for a retraction else 0, then the event_id; its greatest value per
-- record names the current event. Copies of one event_id carry the same revision, type and id, so
-- the choice is made over every row without folding the copies first.
SELECT *
FROM ${db}.field_events FINAL
WHERE (aggregate_id, root_id, event_id) IN (
    SELECT aggregate_id, root_id,
           substring(max(concat(toString(toInt64(revision) + 20000000000), toString(toUInt8(event_type = 'record_retracted')), event_id)), 13)
    FROM ${db}.field_events
    GROUP BY aggregate_id, root_id
)
AND event_type != 'record_retracted'
