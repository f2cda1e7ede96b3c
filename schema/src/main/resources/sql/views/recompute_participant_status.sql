-- Cohort retention recomputed in SQL from field_events alone, to compare with the streamed
-- cohort_retention (invariant 3); rules as in docs/design.md. A person's expected sessions are the held
-- sessions dated on or after the enrolment; status, first match wins: transferred (an exit with that
-- reason), completed (such an exit, or all planned sessions held and attended share >=
-- completion_attendance), dropped_out (such an exit, or the last dropout_missed_sessions expected
-- sessions all without presence), else active. Program parameters come from programs (defaults 3
-- and 0.8 when the program is unknown). Counts and sums exclude transferred persons. A person
-- enrolled twice in one cohort counts once, from the earliest enrolment.
SELECT
    program_id, partner_id, cohort_id, person_id, enrolled_on, planned_sessions, sessions_held,
    length(expected) AS sessions_expected,
    arraySum(flags) AS sessions_attended,
    multiIf(
        has(exit_reasons, 'transferred'), 'transferred',
        has(exit_reasons, 'completed')
            OR (sessions_held >= planned_sessions AND length(expected) > 0
                AND arraySum(flags) >= completion_attendance * length(expected) - 1e-9), 'completed',
        has(exit_reasons, 'dropped_out')
            OR (length(expected) >= dropout_missed
                AND arraySum(arraySlice(flags, length(flags) - dropout_missed + 1, dropout_missed)) = 0), 'dropped_out',
        'active') AS status,
    aggregate_id
FROM (
    SELECT *,
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
            SELECT program_id, partner_id, aggregate_id, cohort_id, person_id, enrolled_on, held_numbers, held_dates,
                   present_sessions, exit_reasons, planned_sessions, p_dropout, p_completion
            FROM (
                SELECT program_id, partner_id, aggregate_id, cohort_id, person_id, enrolled_on, held_numbers, held_dates,
                       present_sessions, exit_reasons, planned_sessions
                FROM (
                    SELECT program_id, partner_id, aggregate_id, cohort_id, person_id, enrolled_on, held_numbers, held_dates,
                           present_sessions, exit_reasons
                    FROM (
                        SELECT program_id, partner_id, aggregate_id, cohort_id, person_id, enrolled_on, held_numbers, held_dates,
                               present_sessions
                        FROM (
                            SELECT program_id, partner_id, aggregate_id, cohort_id, person_id, enrolled_on, held_numbers, held_dates
                            FROM (
                                SELECT program_id, partner_id, aggregate_id, min(e_cohort_id) AS cohort_id, person_id,
                                       min(e_enrolled_on) AS enrolled_on
                                FROM (
                                    SELECT program_id, partner_id, aggregate_id, assumeNotNull(cohort_id) AS e_cohort_id,
                                           assumeNotNull(person_id) AS person_id, assumeNotNull(enrolled_on) AS e_enrolled_on
                                    FROM ${db}.v_field_events_current
                                    WHERE event_type = 'participant_enrolled'
                                )
                                GROUP BY program_id, partner_id, aggregate_id, person_id
                            ) AS enrolment
                            ALL LEFT JOIN (
                                SELECT aggregate_id, groupArray(session_number) AS held_numbers, groupArray(held_on) AS held_dates
                                FROM (
                                    SELECT aggregate_id, assumeNotNull(session_number) AS session_number,
                                           min(assumeNotNull(held_on)) AS held_on
                                    FROM ${db}.v_field_events_current
                                    WHERE event_type = 'session_held'
                                    GROUP BY aggregate_id, session_number
                                )
                                GROUP BY aggregate_id
                            ) AS held USING (aggregate_id)
                        ) AS with_sessions
                        ALL LEFT JOIN (
                            SELECT aggregate_id, assumeNotNull(person_id) AS person_id,
                                   groupUniqArray(assumeNotNull(session_number)) AS present_sessions
                            FROM ${db}.v_field_events_current
                            WHERE event_type = 'attendance_recorded' AND status = 'present'
                            GROUP BY aggregate_id, person_id
                        ) AS presence USING (aggregate_id, person_id)
                    ) AS with_presence
                    ALL LEFT JOIN (
                        SELECT aggregate_id, assumeNotNull(person_id) AS person_id,
                               groupUniqArray(assumeNotNull(reason)) AS exit_reasons
                        FROM ${db}.v_field_events_current
                        WHERE event_type = 'participant_exited'
                        GROUP BY aggregate_id, person_id
                    ) AS exits USING (aggregate_id, person_id)
                ) AS with_exits
                ALL LEFT JOIN (
                    SELECT aggregate_id,
                           tupleElement(argMax(tuple(assumeNotNull(planned_sessions)), (occurred_at, event_id)), 1) AS planned_sessions
                    FROM ${db}.v_field_events_current
                    WHERE event_type = 'training_cohort_registered'
                    GROUP BY aggregate_id
                ) AS registration USING (aggregate_id)
            ) AS with_registration
            ALL LEFT JOIN (
                SELECT program_id, dropout_missed_sessions AS p_dropout, completion_attendance AS p_completion
                FROM ${db}.v_programs
            ) AS program USING (program_id)
        )
    )
)
