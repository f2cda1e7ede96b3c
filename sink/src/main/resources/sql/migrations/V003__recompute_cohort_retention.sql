-- Cohort retention recomputed in SQL from field_events alone, to compare with the streamed
-- cohort_retention (invariant 3). Same rules as DESIGN.md: the current state of every record is its
-- highest revision unless that is a retraction; a session counts once held; a person's expected
-- sessions are the held sessions dated on or after the enrolment; status, first match wins:
-- transferred (exit reason), completed (exit reason, or all planned sessions held and attended
-- share >= completion_attendance), dropped_out (exit reason, or the last dropout_missed_sessions
-- expected sessions all without presence), else active. Program parameters come from programs
-- (defaults 3 and 0.8 when the program is unknown). Counts and sums exclude transferred persons.

CREATE VIEW IF NOT EXISTS ${db}.recompute_participant_status AS
SELECT
    program_id, cohort_id, person_id, enrolled_on, planned_sessions, sessions_held,
    length(expected) AS sessions_expected,
    arraySum(flags) AS sessions_attended,
    multiIf(
        exit_reason = 'transferred', 'transferred',
        exit_reason = 'completed'
            OR (sessions_held >= planned_sessions AND length(expected) > 0
                AND arraySum(flags) >= completion_attendance * length(expected)), 'completed',
        exit_reason = 'dropped_out'
            OR (length(expected) >= dropout_missed
                AND arraySum(arraySlice(flags, length(flags) - dropout_missed + 1, dropout_missed)) = 0), 'dropped_out',
        'active') AS status
FROM (
    SELECT *,
        -- 18.16 does not see columns captured inside a lambda when it prunes subquery columns, so
        -- every column a lambda needs is passed to it as an array argument
        arrayMap((n, present) -> has(present, n), expected,
                 arrayResize([present_sessions], length(expected), present_sessions)) AS flags,
        if(p_dropout = 0, 3, p_dropout) AS dropout_missed,
        if(p_completion = 0, 0.8, p_completion) AS completion_attendance
    FROM (
        SELECT *,
            arraySort(arrayFilter((n, d, since) -> d >= since, held_numbers, held_dates,
                                  arrayResize([enrolled_on], length(held_numbers), enrolled_on))) AS expected,
            length(held_numbers) AS sessions_held
        FROM (
            SELECT *
            FROM (
                SELECT *
                FROM (
                    SELECT *
                    FROM (
                        SELECT program_id, cohort_id, person_id, min(enrolled_on) AS enrolled_on
                        FROM (
                            SELECT program_id, assumeNotNull(cohort_id) AS cohort_id, assumeNotNull(person_id) AS person_id,
                                   assumeNotNull(enrolled_on) AS enrolled_on
                            FROM ${db}.v_field_events_current
                            WHERE event_type = 'participant_enrolled'
                        )
                        GROUP BY program_id, cohort_id, person_id
                    )
                    ANY LEFT JOIN (
                        SELECT cohort_id, groupArray(session_number) AS held_numbers, groupArray(held_on) AS held_dates
                        FROM (
                            SELECT assumeNotNull(cohort_id) AS cohort_id, assumeNotNull(session_number) AS session_number,
                                   min(assumeNotNull(held_on)) AS held_on
                            FROM ${db}.v_field_events_current
                            WHERE event_type = 'session_held'
                            GROUP BY cohort_id, session_number
                        )
                        GROUP BY cohort_id
                    ) USING (cohort_id)
                )
                ANY LEFT JOIN (
                    SELECT assumeNotNull(cohort_id) AS cohort_id, assumeNotNull(person_id) AS person_id,
                           groupUniqArray(assumeNotNull(session_number)) AS present_sessions
                    FROM ${db}.v_field_events_current
                    WHERE event_type = 'attendance_recorded' AND status = 'present'
                    GROUP BY cohort_id, person_id
                ) USING (cohort_id, person_id)
            )
            ANY LEFT JOIN (
                SELECT assumeNotNull(cohort_id) AS cohort_id, assumeNotNull(person_id) AS person_id,
                       argMax(assumeNotNull(reason), occurred_at) AS exit_reason
                FROM ${db}.v_field_events_current
                WHERE event_type = 'participant_exited'
                GROUP BY cohort_id, person_id
            ) USING (cohort_id, person_id)
        )
        ANY LEFT JOIN (
            SELECT assumeNotNull(cohort_id) AS cohort_id, any(assumeNotNull(planned_sessions)) AS planned_sessions
            FROM ${db}.v_field_events_current
            WHERE event_type = 'training_cohort_registered'
            GROUP BY cohort_id
        ) USING (cohort_id)
    )
    ANY LEFT JOIN (
        SELECT program_id, dropout_missed_sessions AS p_dropout, completion_attendance AS p_completion
        FROM ${db}.v_programs
    ) USING (program_id)
);

CREATE VIEW IF NOT EXISTS ${db}.recompute_cohort_retention AS
SELECT
    program_id, cohort_id, planned_sessions AS sessions_planned, sessions_held,
    enrolled, active, completed, dropped_out, transferred, present_total, expected_total,
    (active + completed) / nullIf(enrolled, 0) AS retention_rate,
    dropped_out / nullIf(enrolled, 0) AS dropout_rate,
    completed / nullIf(enrolled, 0) AS completion_rate,
    present_total / nullIf(expected_total, 0) AS attendance_rate
FROM (
    SELECT program_id, cohort_id, any(planned_sessions) AS planned_sessions, any(sessions_held) AS sessions_held,
           countIf(status != 'transferred') AS enrolled,
           countIf(status = 'active') AS active,
           countIf(status = 'completed') AS completed,
           countIf(status = 'dropped_out') AS dropped_out,
           countIf(status = 'transferred') AS transferred,
           sumIf(sessions_attended, status != 'transferred') AS present_total,
           sumIf(sessions_expected, status != 'transferred') AS expected_total
    FROM ${db}.recompute_participant_status
    GROUP BY program_id, cohort_id
);
