-- A person's outreach sex and age band per program: the most recent of the person's earliest
-- current enrolment in each cohort and first identified attendance (least event_id) of each held
-- dialogue, by date; ties: the enrolment, then the greater aggregate_id.
SELECT program_id, person_id, tupleElement(attr, 1) AS sex, tupleElement(attr, 2) AS age_band
FROM (
    SELECT program_id, person_id, argMax((c_sex, c_band), (on_date, rank, source_id)) AS attr
    FROM (
        SELECT program_id, person_id, tupleElement(earliest, 3) AS on_date, 1 AS rank, aggregate_id AS source_id,
               tupleElement(earliest, 1) AS c_sex, tupleElement(earliest, 2) AS c_band
        FROM (
            SELECT program_id, aggregate_id, person_id,
                   argMin((e_sex, e_band, e_enrolled_on), (e_enrolled_on, event_id)) AS earliest
            FROM (
                SELECT program_id, aggregate_id, assumeNotNull(person_id) AS person_id, event_id,
                       assumeNotNull(enrolled_on) AS e_enrolled_on, ifNull(sex, 'unknown') AS e_sex,
                       multiIf(ifNull(a, -1) < 0, 'unknown', ifNull(a, -1) < 15, 'under_15', ifNull(a, -1) < 30, 'youth_15_29', 'adult_30_plus') AS e_band
                FROM (
                    SELECT *, if(birth_year IS NULL, age, toYear(assumeNotNull(enrolled_on)) - birth_year) AS a
                    FROM ${db}.v_field_events_current
                    WHERE event_type = 'participant_enrolled'
                )
            )
            GROUP BY program_id, aggregate_id, person_id
        )
        UNION ALL
        SELECT program_id, person_id, held_on AS on_date, 0 AS rank, aggregate_id AS source_id,
               tupleElement(first_attr, 1) AS c_sex, tupleElement(first_attr, 2) AS c_band
        FROM (
            SELECT program_id, person_id, aggregate_id, first_attr, held_on
            FROM (
                SELECT program_id, person_id, aggregate_id, argMin((d_sex, d_band), event_id) AS first_attr
                FROM (
                    SELECT program_id, assumeNotNull(person_id) AS person_id, aggregate_id, event_id,
                           ifNull(sex, 'unknown') AS d_sex,
                           multiIf(ifNull(age, -1) < 0, 'unknown', ifNull(age, -1) < 15, 'under_15', ifNull(age, -1) < 30, 'youth_15_29', 'adult_30_plus') AS d_band
                    FROM (
                        SELECT * FROM ${db}.v_field_events_current
                        WHERE event_type = 'dialogue_attended' AND person_id IS NOT NULL
                    )
                )
                GROUP BY program_id, person_id, aggregate_id
            ) AS attendee
            ALL INNER JOIN (
                SELECT aggregate_id, tupleElement(argMax(tuple(assumeNotNull(held_on)), (occurred_at, event_id)), 1) AS held_on
                FROM ${db}.v_field_events_current
                WHERE event_type = 'dialogue_held'
                GROUP BY aggregate_id
            ) AS dialogue USING (aggregate_id)
        )
    )
    GROUP BY program_id, person_id
)
