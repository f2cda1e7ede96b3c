-- Every streamed metric family recomputed in SQL from field_events alone (invariant 3), with the
-- column names and value formats of the streamed views, so a comparison is a plain join:
-- recompute_participant_progress ~ v_participant_progress, recompute_cohort_retention_by_group ~
-- v_cohort_retention_by_group, recompute_retention_curve ~ v_retention_curve, recompute_outreach ~
-- v_outreach, recompute_dialogues ~ v_dialogues, recompute_dialogue_attendance ~ v_dialogue_attendance.
-- Rules as in DESIGN.md and the seeds' ExpectedMetrics (the independent oracle):
--   * only registered cohorts and held dialogues have rows, only current enrolments count
--   * rates with a zero denominator are 0 (V003's recompute_cohort_retention gives NULL there)
--   * age band: birth year gives the age at enrolment (enrolled_on year - birth_year), else the age
--     column, negative or missing is unknown
-- Only syntax ClickHouse 18.16 accepts: one JOIN per SELECT, join keys never Nullable, no CTEs, no
-- window functions, every column a lambda needs passed to it as an array argument (see V003).

-- One row per current enrolment in a registered cohort, with its status and the cohort's planned
-- and held sessions (which the by-group figures need).
CREATE VIEW IF NOT EXISTS ${db}.recompute_participant_detail AS
SELECT
    program_id, partner_id, org_unit_id, cohort_id, person_id, sex, age_band, enrolled_on, status,
    toInt32(sessions_expected) AS sessions_expected,
    toInt32(sessions_attended) AS sessions_attended,
    if(sessions_expected = 0, 0., sessions_attended / sessions_expected) AS attendance_rate,
    if(sessions_attended = 0, CAST(NULL AS Nullable(Int32)), toNullable(toInt32(last_present))) AS last_session_present,
    toInt32(planned_sessions) AS sessions_planned,
    toInt32(sessions_held) AS sessions_held
FROM (
    SELECT *,
        multiIf(
            exit_reason = 'transferred', 'transferred',
            exit_reason = 'completed'
                OR (planned_sessions > 0 AND sessions_held >= planned_sessions AND sessions_expected > 0
                    AND sessions_attended / sessions_expected >= completion_attendance), 'completed',
            exit_reason = 'dropped_out'
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
                    SELECT *
                    FROM (
                        SELECT *
                        FROM (
                            SELECT *
                            FROM (
                                SELECT *
                                FROM (
                                    SELECT cohort_id, person_id,
                                           argMax(e_sex, occurred_at) AS sex,
                                           argMax(e_band, occurred_at) AS age_band,
                                           argMax(e_enrolled_on, occurred_at) AS enrolled_on
                                    FROM (
                                        SELECT assumeNotNull(cohort_id) AS cohort_id, assumeNotNull(person_id) AS person_id,
                                               occurred_at,
                                               ifNull(sex, 'unknown') AS e_sex,
                                               multiIf(ifNull(a, -1) < 0, 'unknown', ifNull(a, -1) < 15, 'under_15', ifNull(a, -1) < 30, 'youth_15_29', 'adult_30_plus') AS e_band,
                                               assumeNotNull(enrolled_on) AS e_enrolled_on
                                        FROM (
                                            SELECT *, if(birth_year IS NULL, age, toYear(assumeNotNull(enrolled_on)) - birth_year) AS a
                                            FROM ${db}.v_field_events_current
                                            WHERE event_type = 'participant_enrolled'
                                        )
                                    )
                                    GROUP BY cohort_id, person_id
                                )
                                ANY INNER JOIN (
                                    SELECT assumeNotNull(cohort_id) AS cohort_id,
                                           argMax(program_id, occurred_at) AS program_id,
                                           argMax(partner_id, occurred_at) AS partner_id,
                                           argMax(org_unit_id, occurred_at) AS org_unit_id,
                                           argMax(assumeNotNull(planned_sessions), occurred_at) AS planned_sessions
                                    FROM ${db}.v_field_events_current
                                    WHERE event_type = 'training_cohort_registered'
                                    GROUP BY cohort_id
                                ) USING (cohort_id)
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
                    SELECT program_id, dropout_missed_sessions AS p_dropout, completion_attendance AS p_completion
                    FROM ${db}.v_programs
                ) USING (program_id)
            )
        )
    )
);

-- participant_progress: the detail with the streamed view's columns.
CREATE VIEW IF NOT EXISTS ${db}.recompute_participant_progress AS
SELECT program_id, partner_id, org_unit_id, cohort_id, person_id, sex, age_band, enrolled_on, status,
       sessions_expected, sessions_attended, attendance_rate, last_session_present
FROM ${db}.recompute_participant_detail;

-- Cohort figures by sex x age band: a row for every group with a current enrolment, transferred
-- persons included in the row but not in its denominators.
CREATE VIEW IF NOT EXISTS ${db}.recompute_cohort_retention_by_group AS
SELECT
    program_id, partner_id, org_unit_id, cohort_id, sex, age_band, sessions_planned, sessions_held,
    enrolled, active, completed, dropped_out, transferred, present_total, expected_total,
    if(enrolled = 0, 0., (active + completed) / enrolled) AS retention_rate,
    if(enrolled = 0, 0., dropped_out / enrolled) AS dropout_rate,
    if(enrolled = 0, 0., completed / enrolled) AS completion_rate,
    if(expected_total = 0, 0., present_total / expected_total) AS attendance_rate
FROM (
    SELECT cohort_id, sex, age_band,
           any(program_id) AS program_id, any(partner_id) AS partner_id, any(org_unit_id) AS org_unit_id,
           any(sessions_planned) AS sessions_planned, any(sessions_held) AS sessions_held,
           toInt32(countIf(status != 'transferred')) AS enrolled,
           toInt32(countIf(status = 'active')) AS active,
           toInt32(countIf(status = 'completed')) AS completed,
           toInt32(countIf(status = 'dropped_out')) AS dropped_out,
           toInt32(countIf(status = 'transferred')) AS transferred,
           toInt32(sumIf(sessions_attended, status != 'transferred')) AS present_total,
           toInt32(sumIf(sessions_expected, status != 'transferred')) AS expected_total
    FROM ${db}.recompute_participant_detail
    GROUP BY cohort_id, sex, age_band
);

-- Survival curve: for every held session k of a registered cohort, the persons not transferred and
-- those of them present at an expected session numbered k or later.
CREATE VIEW IF NOT EXISTS ${db}.recompute_retention_curve AS
SELECT program_id, partner_id, cohort_id, session_number, held_on, enrolled, surviving,
       if(enrolled = 0, 0., surviving / enrolled) AS survival_rate
FROM (
    SELECT *,
        toInt32(length(last_presents)) AS enrolled,
        toInt32(arrayCount((last, k) -> last >= k, last_presents,
                           arrayResize([session_number], length(last_presents), session_number))) AS surviving
    FROM (
        SELECT *
        FROM (
            SELECT *
            FROM (
                SELECT assumeNotNull(cohort_id) AS cohort_id, toInt32(assumeNotNull(session_number)) AS session_number,
                       min(assumeNotNull(held_on)) AS held_on
                FROM ${db}.v_field_events_current
                WHERE event_type = 'session_held'
                GROUP BY cohort_id, session_number
            )
            ANY INNER JOIN (
                SELECT assumeNotNull(cohort_id) AS cohort_id,
                       argMax(program_id, occurred_at) AS program_id,
                       argMax(partner_id, occurred_at) AS partner_id
                FROM ${db}.v_field_events_current
                WHERE event_type = 'training_cohort_registered'
                GROUP BY cohort_id
            ) USING (cohort_id)
        )
        ANY LEFT JOIN (
            SELECT cohort_id, groupArray(toInt32(ifNull(last_session_present, 0))) AS last_presents
            FROM ${db}.recompute_participant_progress
            WHERE status != 'transferred'
            GROUP BY cohort_id
        ) USING (cohort_id)
    )
);

-- Dialogues held (current DialogueHeld), every current attendee counted by sex, distinct identified
-- persons.
CREATE VIEW IF NOT EXISTS ${db}.recompute_dialogues AS
SELECT program_id, partner_id, org_unit_id, dialogue_id, kind, topic, held_on,
       toInt32(attendees) AS attendees,
       toInt32(attendees_female) AS attendees_female,
       toInt32(attendees_male) AS attendees_male,
       toInt32(attendees_other) AS attendees_other,
       toInt32(attendees_unknown) AS attendees_unknown,
       toInt32(identified_persons) AS identified_persons
FROM (
    SELECT *
    FROM (
        SELECT assumeNotNull(dialogue_id) AS dialogue_id,
               argMax(program_id, (occurred_at, event_id)) AS program_id,
               argMax(partner_id, (occurred_at, event_id)) AS partner_id,
               argMax(org_unit_id, (occurred_at, event_id)) AS org_unit_id,
               argMax(assumeNotNull(kind), (occurred_at, event_id)) AS kind,
               argMax(assumeNotNull(topic), (occurred_at, event_id)) AS topic,
               argMax(assumeNotNull(held_on), (occurred_at, event_id)) AS held_on
        FROM ${db}.v_field_events_current
        WHERE event_type = 'dialogue_held'
        GROUP BY dialogue_id
    )
    ANY LEFT JOIN (
        SELECT assumeNotNull(dialogue_id) AS dialogue_id,
               count() AS attendees,
               countIf(ifNull(sex, 'unknown') = 'female') AS attendees_female,
               countIf(ifNull(sex, 'unknown') = 'male') AS attendees_male,
               countIf(ifNull(sex, 'unknown') = 'other') AS attendees_other,
               countIf(ifNull(sex, 'unknown') = 'unknown') AS attendees_unknown,
               uniqExactIf(assumeNotNull(person_id), person_id IS NOT NULL) AS identified_persons
        FROM ${db}.v_field_events_current
        WHERE event_type = 'dialogue_attended'
        GROUP BY dialogue_id
    ) USING (dialogue_id)
);

-- Attendance of held dialogues by role and sex (attendees without a person id included).
CREATE VIEW IF NOT EXISTS ${db}.recompute_dialogue_attendance AS
SELECT program_id, partner_id, dialogue_id, kind, held_on, role, sex, attendees
FROM (
    SELECT *
    FROM (
        SELECT assumeNotNull(dialogue_id) AS dialogue_id, assumeNotNull(role) AS role, ifNull(sex, 'unknown') AS sex,
               toInt32(count()) AS attendees
        FROM ${db}.v_field_events_current
        WHERE event_type = 'dialogue_attended'
        GROUP BY dialogue_id, role, sex
    )
    ANY INNER JOIN (
        SELECT assumeNotNull(dialogue_id) AS dialogue_id,
               argMax(program_id, (occurred_at, event_id)) AS program_id,
               argMax(partner_id, (occurred_at, event_id)) AS partner_id,
               argMax(assumeNotNull(kind), (occurred_at, event_id)) AS kind,
               argMax(assumeNotNull(held_on), (occurred_at, event_id)) AS held_on
        FROM ${db}.v_field_events_current
        WHERE event_type = 'dialogue_held'
        GROUP BY dialogue_id
    ) USING (dialogue_id)
);

-- Every reach of a person: present at a held session of any cohort (enrolled or not), or an
-- identified attendee of a held dialogue. month = first day of the session's or dialogue's month,
-- org unit = the cohort's or dialogue's ('' when unknown).
CREATE VIEW IF NOT EXISTS ${db}.recompute_outreach_reaches AS
SELECT program_id, person_id, partner_id, month, unit_key
FROM (
    SELECT program_id, person_id, partner_id, toStartOfMonth(held_on) AS month, ifNull(org_unit_id, '') AS unit_key
    FROM (
        SELECT *
        FROM (
            SELECT program_id, partner_id, assumeNotNull(cohort_id) AS cohort_id,
                   toInt32(assumeNotNull(session_number)) AS session_number, assumeNotNull(person_id) AS person_id
            FROM ${db}.v_field_events_current
            WHERE event_type = 'attendance_recorded' AND status = 'present'
        )
        ANY INNER JOIN (
            SELECT assumeNotNull(cohort_id) AS cohort_id, toInt32(assumeNotNull(session_number)) AS session_number,
                   min(assumeNotNull(held_on)) AS held_on
            FROM ${db}.v_field_events_current
            WHERE event_type = 'session_held'
            GROUP BY cohort_id, session_number
        ) USING (cohort_id, session_number)
    )
    ANY LEFT JOIN (
        SELECT assumeNotNull(cohort_id) AS cohort_id, argMax(org_unit_id, occurred_at) AS org_unit_id
        FROM ${db}.v_field_events_current
        WHERE event_type = 'training_cohort_registered'
        GROUP BY cohort_id
    ) USING (cohort_id)
    UNION ALL
    SELECT program_id, person_id, partner_id, toStartOfMonth(held_on) AS month, ifNull(d_org_unit_id, '') AS unit_key
    FROM (
        -- the filter sits in its own subquery: an alias named like a column hides it in WHERE
        SELECT program_id, partner_id, assumeNotNull(dialogue_id) AS dialogue_id, assumeNotNull(person_id) AS person_id
        FROM (
            SELECT * FROM ${db}.v_field_events_current
            WHERE event_type = 'dialogue_attended' AND person_id IS NOT NULL
        )
    )
    ANY INNER JOIN (
        SELECT assumeNotNull(dialogue_id) AS dialogue_id,
               argMax(assumeNotNull(held_on), (occurred_at, event_id)) AS held_on,
               argMax(org_unit_id, (occurred_at, event_id)) AS d_org_unit_id
        FROM ${db}.v_field_events_current
        WHERE event_type = 'dialogue_held'
        GROUP BY dialogue_id
    ) USING (dialogue_id)
);

-- A person's outreach sex and age band per program: the most recent current enrolment or
-- identified attendance of a held dialogue by date, ties: the enrolment, then the greater cohort /
-- dialogue id. Two identified records of one person in one dialogue: the smaller event_id (as the
-- streams do, field_events has no attendee_no).
CREATE VIEW IF NOT EXISTS ${db}.recompute_outreach_attributes AS
SELECT program_id, person_id, tupleElement(attr, 1) AS sex, tupleElement(attr, 2) AS age_band
FROM (
    SELECT program_id, person_id, argMax((c_sex, c_band), (on_date, rank, source_id)) AS attr
    FROM (
        SELECT program_id, assumeNotNull(person_id) AS person_id, assumeNotNull(enrolled_on) AS on_date, 1 AS rank,
               assumeNotNull(cohort_id) AS source_id, ifNull(sex, 'unknown') AS c_sex,
               multiIf(ifNull(a, -1) < 0, 'unknown', ifNull(a, -1) < 15, 'under_15', ifNull(a, -1) < 30, 'youth_15_29', 'adult_30_plus') AS c_band
        FROM (
            SELECT *, if(birth_year IS NULL, age, toYear(assumeNotNull(enrolled_on)) - birth_year) AS a
            FROM ${db}.v_field_events_current
            WHERE event_type = 'participant_enrolled'
        )
        UNION ALL
        SELECT program_id, person_id, held_on AS on_date, 0 AS rank, dialogue_id AS source_id,
               tupleElement(first_attr, 1) AS c_sex, tupleElement(first_attr, 2) AS c_band
        FROM (
            SELECT *
            FROM (
                SELECT program_id, person_id, dialogue_id, argMin((d_sex, d_band), event_id) AS first_attr
                FROM (
                    SELECT program_id, assumeNotNull(person_id) AS person_id, assumeNotNull(dialogue_id) AS dialogue_id, event_id,
                           ifNull(sex, 'unknown') AS d_sex,
                           multiIf(ifNull(age, -1) < 0, 'unknown', ifNull(age, -1) < 15, 'under_15', ifNull(age, -1) < 30, 'youth_15_29', 'adult_30_plus') AS d_band
                    FROM (
                        SELECT * FROM ${db}.v_field_events_current
                        WHERE event_type = 'dialogue_attended' AND person_id IS NOT NULL
                    )
                )
                GROUP BY program_id, person_id, dialogue_id
            )
            ANY INNER JOIN (
                SELECT assumeNotNull(dialogue_id) AS dialogue_id,
                       argMax(assumeNotNull(held_on), (occurred_at, event_id)) AS held_on
                FROM ${db}.v_field_events_current
                WHERE event_type = 'dialogue_held'
                GROUP BY dialogue_id
            ) USING (dialogue_id)
        )
    )
    GROUP BY program_id, person_id
);

-- Outreach: distinct persons per program x period (month, quarter, to_date) x dimension (program,
-- partner, district, upazila via the org unit's ancestry) x (the person's sex x age band, and all x
-- all), exact counts. new_people_reached: the grain's persons whose first month ever reached in the
-- program lies in the period.
CREATE VIEW IF NOT EXISTS ${db}.recompute_outreach AS
SELECT program_id, period_kind, period, period_start, dimension, dimension_id, sex, age_band,
       toInt64(uniqExact(person_id)) AS people_reached,
       toInt64(uniqExactIf(person_id, is_new = 1)) AS new_people_reached
FROM (
    SELECT program_id, person_id, period_kind, period, period_start, is_new,
           tupleElement(dim, 1) AS dimension, tupleElement(dim, 2) AS dimension_id,
           tupleElement(cell, 1) AS sex, tupleElement(cell, 2) AS age_band
    FROM (
        SELECT *, arrayJoin([(if(p_sex = '', 'unknown', p_sex), if(p_band = '', 'unknown', p_band)), ('all', 'all')]) AS cell
        FROM (
            SELECT *, arrayJoin(arrayFilter(d -> tupleElement(d, 2) != '',
                       [('program', program_id), ('partner', partner_id), ('district', district_key), ('upazila', upazila_key)])) AS dim
            FROM (
                SELECT *,
                    tupleElement(per, 1) AS period_kind, tupleElement(per, 2) AS period,
                    tupleElement(per, 3) AS period_start, tupleElement(per, 4) AS is_new
                FROM (
                    SELECT *, arrayJoin([
                        ('month', substring(toString(month), 1, 7), month, toUInt8(month = first_month)),
                        ('quarter', concat(toString(toYear(month)), '-Q', toString(toQuarter(month))), toStartOfQuarter(month),
                            toUInt8(toStartOfQuarter(month) = toStartOfQuarter(first_month))),
                        ('to_date', 'all', program_start, toUInt8(1))]) AS per
                    FROM (
                        SELECT *
                        FROM (
                            SELECT *
                            FROM (
                                SELECT *
                                FROM (
                                    SELECT DISTINCT program_id, person_id, partner_id, month, unit_key
                                    FROM ${db}.recompute_outreach_reaches
                                )
                                ANY LEFT JOIN (
                                    SELECT org_unit_id AS unit_key, ifNull(district_id, '') AS district_key,
                                           ifNull(upazila_id, '') AS upazila_key
                                    FROM ${db}.v_org_units
                                ) USING (unit_key)
                            )
                            ANY LEFT JOIN (
                                SELECT program_id, person_id, sex AS p_sex, age_band AS p_band
                                FROM ${db}.recompute_outreach_attributes
                            ) USING (program_id, person_id)
                        )
                        ANY LEFT JOIN (
                            SELECT program_id, person_id, min(month) AS first_month
                            FROM ${db}.recompute_outreach_reaches
                            GROUP BY program_id, person_id
                        ) USING (program_id, person_id)
                    )
                    ANY LEFT JOIN (
                        SELECT program_id, start_date AS program_start FROM ${db}.v_programs
                    ) USING (program_id)
                )
            )
        )
    )
)
GROUP BY program_id, period_kind, period, period_start, dimension, dimension_id, sex, age_band;
