-- One row per current enrolment in a registered cohort, with its status and the cohort's planned
-- and held sessions (which the by-group figures need), and its aggregate_id last.
SELECT
    program_id, partner_id, org_unit_id, cohort_id, person_id, sex, age_band, enrolled_on, status,
    toInt32(sessions_expected) AS sessions_expected,
    toInt32(sessions_attended) AS sessions_attended,
    if(sessions_expected = 0, 0., sessions_attended / sessions_expected) AS attendance_rate,
    if(sessions_attended = 0, CAST(NULL AS Nullable(Int32)), toNullable(toInt32(last_present))) AS last_session_present,
    toInt32(planned_sessions) AS sessions_planned,
    toInt32(sessions_held) AS sessions_held,
    aggregate_id
FROM (
    SELECT *,
        multiIf(
            has(exit_reasons, 'transferred'), 'transferred',
            has(exit_reasons, 'completed')
                OR (planned_sessions > 0 AND sessions_held >= planned_sessions AND sessions_expected > 0
                    AND sessions_attended >= completion_attendance * sessions_expected - 1e-9), 'completed',
            has(exit_reasons, 'dropped_out')
                OR (dropout_missed > 0 AND sessions_expected >= dropout_missed
                    AND arraySum(arraySlice(flags, sessions_expected - dropout_missed + 1, dropout_missed)) = 0), 'dropped_out',
            'active') AS status
    FROM (
        SELECT *,
            length(expected) AS sessions_expected,
            arraySum(flags) AS sessions_attended,
            arrayReduce('max', arrayFilter((n, f) -> f = 1, expected, flags)) AS last_present
        FROM (
            SELECT *,
                arrayMap((n, present) -> has(present, n), expected,
                         arrayResize([present_sessions], length(expected), present_sessions)) AS flags
            FROM (
                SELECT *,
                    arraySort(arrayFilter((n, d, since) -> d >= since, held_numbers, held_dates,
                                          arrayResize([enrolled_on], length(held_numbers), enrolled_on))) AS expected,
                    length(held_numbers) AS sessions_held,
                    if(p_dropout = 0 AND p_completion = 0, 3, p_dropout) AS dropout_missed,
                    if(p_dropout = 0 AND p_completion = 0, 0.8, p_completion) AS completion_attendance
                FROM (
                    SELECT program_id, partner_id, org_unit_id, aggregate_id, cohort_id, planned_sessions,
                           person_id, sex, age_band, enrolled_on, held_numbers, held_dates, present_sessions,
                           exit_reasons, p_dropout, p_completion
                    FROM (
                        SELECT program_id, partner_id, org_unit_id, aggregate_id, cohort_id, planned_sessions,
                               person_id, sex, age_band, enrolled_on, held_numbers, held_dates, present_sessions,
                               exit_reasons
                        FROM (
                            SELECT program_id, partner_id, org_unit_id, aggregate_id, cohort_id, planned_sessions,
                                   person_id, sex, age_band, enrolled_on, held_numbers, held_dates, present_sessions
                            FROM (
                                SELECT program_id, partner_id, org_unit_id, aggregate_id, cohort_id, planned_sessions,
                                       person_id, sex, age_band, enrolled_on, held_numbers, held_dates
                                FROM (
                                    SELECT program_id, partner_id, org_unit_id, aggregate_id, cohort_id, planned_sessions,
                                           person_id, sex, age_band, enrolled_on
                                    FROM (
                                        SELECT aggregate_id, person_id,
                                               tupleElement(earliest, 1) AS sex,
                                               tupleElement(earliest, 2) AS age_band,
                                               tupleElement(earliest, 3) AS enrolled_on
                                        FROM (
                                            SELECT aggregate_id, person_id,
                                                   argMin((e_sex, e_band, e_enrolled_on), (e_enrolled_on, event_id)) AS earliest
                                            FROM (
                                                SELECT aggregate_id, assumeNotNull(person_id) AS person_id, event_id,
                                                       ifNull(sex, 'unknown') AS e_sex,
                                                       multiIf(ifNull(a, -1) < 0, 'unknown', ifNull(a, -1) < 15, 'under_15', ifNull(a, -1) < 30, 'youth_15_29', 'adult_30_plus') AS e_band,
                                                       assumeNotNull(enrolled_on) AS e_enrolled_on
                                                FROM (
                                                    SELECT *, if(birth_year IS NULL, age, toYear(assumeNotNull(enrolled_on)) - birth_year) AS a
                                                    FROM ${db}.v_field_events_current
                                                    WHERE event_type = 'participant_enrolled'
                                                )
                                            )
                                            GROUP BY aggregate_id, person_id
                                        )
                                    ) AS enrolment
                                    ALL INNER JOIN (
                                        SELECT aggregate_id,
                                               tupleElement(reg, 1) AS program_id,
                                               tupleElement(reg, 2) AS partner_id,
                                               tupleElement(reg, 3) AS org_unit_id,
                                               tupleElement(reg, 4) AS cohort_id,
                                               tupleElement(reg, 5) AS planned_sessions
                                        FROM (
                                            SELECT aggregate_id,
                                                   argMax((program_id, partner_id, org_unit_id, assumeNotNull(cohort_id),
                                                           assumeNotNull(planned_sessions)), (occurred_at, event_id)) AS reg
                                            FROM ${db}.v_field_events_current
                                            WHERE event_type = 'training_cohort_registered'
                                            GROUP BY aggregate_id
                                        )
                                    ) AS registration USING (aggregate_id)
                                ) AS registered
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
                        SELECT program_id, dropout_missed_sessions AS p_dropout, completion_attendance AS p_completion
                        FROM ${db}.v_programs
                    ) AS program USING (program_id)
                )
            )
        )
    )
)
