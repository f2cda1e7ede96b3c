-- Dashboard: how fresh each table is. as_of is the latest event time a metric reflects,
-- updated_at when the streams last changed it; for field_events, occurred_at and received_at.
-- field_events counts distinct events: its raw row count depends on when the server merged
-- duplicates (and current releases merge equal keys within one insert).
SELECT 'field_events' AS table_name, max(occurred_at) AS as_of, max(received_at) AS updated_at, uniqExact(event_id) AS row_count FROM ${db}.field_events
UNION ALL
SELECT 'cohort_retention' AS table_name, max(as_of) AS as_of, max(updated_at) AS updated_at, count() AS row_count FROM ${db}.v_cohort_retention
UNION ALL
SELECT 'cohort_retention_by_group' AS table_name, max(as_of) AS as_of, max(updated_at) AS updated_at, count() AS row_count FROM ${db}.v_cohort_retention_by_group
UNION ALL
SELECT 'participant_progress' AS table_name, max(as_of) AS as_of, max(updated_at) AS updated_at, count() AS row_count FROM ${db}.v_participant_progress
UNION ALL
SELECT 'retention_curve' AS table_name, max(as_of) AS as_of, max(updated_at) AS updated_at, count() AS row_count FROM ${db}.v_retention_curve
UNION ALL
SELECT 'outreach' AS table_name, max(as_of) AS as_of, max(updated_at) AS updated_at, count() AS row_count FROM ${db}.v_outreach
UNION ALL
SELECT 'dialogues' AS table_name, max(as_of) AS as_of, max(updated_at) AS updated_at, count() AS row_count FROM ${db}.v_dialogues
UNION ALL
SELECT 'dialogue_attendance' AS table_name, max(as_of) AS as_of, max(updated_at) AS updated_at, count() AS row_count FROM ${db}.v_dialogue_attendance
