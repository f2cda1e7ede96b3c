-- supersedes: V002, V003, V004, V005
-- Every view, written once more so that it gives the same rows on ClickHouse 18.16 and on current
-- releases with their default settings. V002-V005 fail on current releases (a joined subquery
-- without an alias), and their ANY joins mean something else there (ANY INNER JOIN keeps one row
-- per key on both sides). A database that applied V002-V005 gets each view replaced here; a
-- database that has not records V002-V005 as superseded and runs only this file (see Migrations).
--
-- Rules for SQL that every supported release reads alike:
--   * every joined subquery has an alias; every join is ALL, and its right side is unique per join
--     key by construction (GROUP BY the key, or a FINAL view of a table ordered by it), so ALL and
--     the old ANY joins give the same rows; join keys are never Nullable and have one type on both
--     sides (18.16 refuses UInt8 = UInt64)
--   * no SELECT * over a join: 18.16 adds the right side's key columns again (as r.key)
--   * a choice between records (argMax, argMin) always ends in a unique tie-breaker, event_id, and
--     argMax/argMin never take a Nullable argument (releases differ in whether NULL is skipped):
--     several columns of one record are taken together as one tuple
--   * cohorts and dialogues are grouped and joined by aggregate_id (the Kafka key, unique per cohort
--     or dialogue); cohort_id and dialogue_id are only shown
--   * a view is replaced by DROP TABLE IF EXISTS (18.16 has no DROP VIEW) then CREATE VIEW IF NOT
--     EXISTS; on releases that have it, Migrations runs the pair as one CREATE OR REPLACE VIEW
--   * 18.16 does not see columns captured inside a lambda when it prunes subquery columns, so every
--     column a lambda needs is passed to it as an array argument; a filter on a column that an alias
--     of the same SELECT renames sits in a subquery of its own (18.16 reads the alias in WHERE)

DROP TABLE IF EXISTS ${db}.v_field_events;
CREATE VIEW IF NOT EXISTS ${db}.v_field_events AS
SELECT * FROM ${db}.field_events FINAL;

-- The current state of every record (root_id within its aggregate): the event with the highest
-- revision; on equal revisions a retraction, then the greater event_id. A record whose current event
-- is a retraction is void.
DROP TABLE IF EXISTS ${db}.v_field_events_current;
CREATE VIEW IF NOT EXISTS ${db}.v_field_events_current AS
SELECT *
FROM ${db}.field_events FINAL
WHERE (aggregate_id, root_id, event_id) IN (
    SELECT aggregate_id, root_id, argMax(event_id, (revision, event_type = 'record_retracted', event_id))
    FROM ${db}.field_events FINAL
    GROUP BY aggregate_id, root_id
)
AND event_type != 'record_retracted';

DROP TABLE IF EXISTS ${db}.v_cohort_retention;
CREATE VIEW IF NOT EXISTS ${db}.v_cohort_retention AS
SELECT * FROM ${db}.cohort_retention FINAL WHERE deleted = 0;

DROP TABLE IF EXISTS ${db}.v_cohort_retention_by_group;
CREATE VIEW IF NOT EXISTS ${db}.v_cohort_retention_by_group AS
SELECT * FROM ${db}.cohort_retention_by_group FINAL WHERE deleted = 0;

DROP TABLE IF EXISTS ${db}.v_participant_progress;
CREATE VIEW IF NOT EXISTS ${db}.v_participant_progress AS
SELECT * FROM ${db}.participant_progress FINAL WHERE deleted = 0;

DROP TABLE IF EXISTS ${db}.v_retention_curve;
CREATE VIEW IF NOT EXISTS ${db}.v_retention_curve AS
SELECT * FROM ${db}.retention_curve FINAL WHERE deleted = 0;

DROP TABLE IF EXISTS ${db}.v_outreach;
CREATE VIEW IF NOT EXISTS ${db}.v_outreach AS
SELECT * FROM ${db}.outreach FINAL WHERE deleted = 0;

DROP TABLE IF EXISTS ${db}.outreach_monthly;
CREATE VIEW IF NOT EXISTS ${db}.outreach_monthly AS
SELECT * FROM ${db}.outreach FINAL WHERE deleted = 0 AND period_kind = 'month';

DROP TABLE IF EXISTS ${db}.outreach_quarterly;
CREATE VIEW IF NOT EXISTS ${db}.outreach_quarterly AS
SELECT * FROM ${db}.outreach FINAL WHERE deleted = 0 AND period_kind = 'quarter';

DROP TABLE IF EXISTS ${db}.outreach_to_date;
CREATE VIEW IF NOT EXISTS ${db}.outreach_to_date AS
SELECT * FROM ${db}.outreach FINAL WHERE deleted = 0 AND period_kind = 'to_date';

DROP TABLE IF EXISTS ${db}.v_dialogues;
CREATE VIEW IF NOT EXISTS ${db}.v_dialogues AS
SELECT * FROM ${db}.dialogues FINAL WHERE deleted = 0;

DROP TABLE IF EXISTS ${db}.v_dialogue_attendance;
CREATE VIEW IF NOT EXISTS ${db}.v_dialogue_attendance AS
SELECT * FROM ${db}.dialogue_attendance FINAL WHERE deleted = 0;

DROP TABLE IF EXISTS ${db}.v_programs;
CREATE VIEW IF NOT EXISTS ${db}.v_programs AS
SELECT * FROM ${db}.programs FINAL WHERE deleted = 0;

DROP TABLE IF EXISTS ${db}.v_partners;
CREATE VIEW IF NOT EXISTS ${db}.v_partners AS
SELECT * FROM ${db}.partners FINAL WHERE deleted = 0;

DROP TABLE IF EXISTS ${db}.v_org_units;
CREATE VIEW IF NOT EXISTS ${db}.v_org_units AS
SELECT * FROM ${db}.org_units FINAL WHERE deleted = 0;

DROP TABLE IF EXISTS ${db}.v_targets;
CREATE VIEW IF NOT EXISTS ${db}.v_targets AS
SELECT * FROM ${db}.targets FINAL WHERE deleted = 0;

-- Dashboard: cohort totals by partner and district. Counts are sums of per-cohort person counts;
-- rates are recomputed from those sums, never averaged. A cohort whose org unit is unknown or
-- above district level falls under district_id ''.
DROP TABLE IF EXISTS ${db}.dash_retention_by_partner_district;
CREATE VIEW IF NOT EXISTS ${db}.dash_retention_by_partner_district AS
SELECT
    program_id, partner_id, partner_name, district_id, district_name, cohorts,
    enrolled, active, completed, dropped_out, transferred,
    (active + completed) / nullIf(enrolled, 0) AS retention_rate,
    dropped_out / nullIf(enrolled, 0) AS dropout_rate,
    completed / nullIf(enrolled, 0) AS completion_rate,
    present / nullIf(expected, 0) AS attendance_rate,
    as_of
FROM (
    SELECT
        program_id, partner_id, partner_name, district_key AS district_id, district_name,
        count() AS cohorts,
        sum(c_enrolled) AS enrolled,
        sum(c_active) AS active,
        sum(c_completed) AS completed,
        sum(c_dropped_out) AS dropped_out,
        sum(c_transferred) AS transferred,
        sum(c_present) AS present,
        sum(c_expected) AS expected,
        max(c_as_of) AS as_of
    FROM (
        SELECT program_id, partner_id, partner_name, district_key, district_name,
               c_enrolled, c_active, c_completed, c_dropped_out, c_transferred, c_present, c_expected, c_as_of
        FROM (
            SELECT program_id, partner_id, district_key, district_name,
                   c_enrolled, c_active, c_completed, c_dropped_out, c_transferred, c_present, c_expected, c_as_of
            FROM (
                SELECT program_id, partner_id, district_key,
                       c_enrolled, c_active, c_completed, c_dropped_out, c_transferred, c_present, c_expected, c_as_of
                FROM (
                    SELECT program_id, partner_id,
                           enrolled AS c_enrolled, active AS c_active, completed AS c_completed,
                           dropped_out AS c_dropped_out, transferred AS c_transferred,
                           present_total AS c_present, expected_total AS c_expected, as_of AS c_as_of,
                           ifNull(org_unit_id, '') AS unit_key
                    FROM ${db}.v_cohort_retention
                ) AS cohort
                ALL LEFT JOIN (
                    SELECT org_unit_id AS unit_key,
                           if(level = 'district', org_unit_id, ifNull(district_id, '')) AS district_key
                    FROM ${db}.v_org_units
                ) AS unit USING (unit_key)
            ) AS placed
            ALL LEFT JOIN (
                SELECT org_unit_id AS district_key, name AS district_name FROM ${db}.v_org_units
            ) AS district USING (district_key)
        ) AS named
        ALL LEFT JOIN (
            SELECT partner_id, name AS partner_name FROM ${db}.v_partners
        ) AS partner USING (partner_id)
    )
    GROUP BY program_id, partner_id, partner_name, district_key, district_name
);

-- Dashboard: survival curve per cohort (one point per held session).
DROP TABLE IF EXISTS ${db}.dash_survival_curves;
CREATE VIEW IF NOT EXISTS ${db}.dash_survival_curves AS
SELECT program_id, partner_id, cohort_id, session_number, held_on, enrolled, surviving, survival_rate, as_of
FROM ${db}.v_retention_curve;

-- Dashboard: survival by program and session number, pooled over cohorts.
DROP TABLE IF EXISTS ${db}.dash_survival_by_program;
CREATE VIEW IF NOT EXISTS ${db}.dash_survival_by_program AS
SELECT program_id, session_number, cohorts, enrolled, surviving,
       surviving / nullIf(enrolled, 0) AS survival_rate, as_of
FROM (
    SELECT program_id, session_number,
           count() AS cohorts,
           sum(c_enrolled) AS enrolled,
           sum(c_surviving) AS surviving,
           max(c_as_of) AS as_of
    FROM (
        SELECT program_id, session_number, enrolled AS c_enrolled, surviving AS c_surviving, as_of AS c_as_of
        FROM ${db}.v_retention_curve
    )
    GROUP BY program_id, session_number
);

-- Dashboard: distinct people reached per month, in total (sex = age_band = 'all'), for every
-- dimension the streams compute (program, partner, district, upazila). Never sum these rows.
DROP TABLE IF EXISTS ${db}.dash_people_reached_by_month;
CREATE VIEW IF NOT EXISTS ${db}.dash_people_reached_by_month AS
SELECT program_id, period AS month, period_start, dimension, dimension_id,
       people_reached, new_people_reached, as_of, updated_at
FROM ${db}.outreach_monthly
WHERE sex = 'all' AND age_band = 'all';

-- Dashboard: targets next to actuals. Actuals come from exact figures only: people reached per
-- quarter and to date (period 'all') from outreach; enrolled and completed to date by program and
-- partner from cohort totals; dialogues held to date by program and partner. Where no exact actual
-- exists for a target's period (a year is not a sum of quarters), actual and achievement are NULL.
DROP TABLE IF EXISTS ${db}.dash_targets_vs_actuals;
CREATE VIEW IF NOT EXISTS ${db}.dash_targets_vs_actuals AS
SELECT program_id, indicator, period, dimension, dimension_id, target,
       if(matched = 1, actual, NULL) AS actual,
       if(matched = 1, actual / nullIf(target, 0), NULL) AS achievement
FROM (
    SELECT program_id, indicator, period, dimension, dimension_id, target, actual, matched
    FROM (
        SELECT program_id, indicator, period, dimension, dimension_id, target FROM ${db}.v_targets
    ) AS goal
    ALL LEFT JOIN (
        SELECT program_id, 'people_reached' AS indicator, if(period_kind = 'to_date', 'all', period) AS period,
               dimension, dimension_id, toFloat64(people_reached) AS actual, 1 AS matched
        FROM ${db}.v_outreach
        WHERE period_kind IN ('quarter', 'to_date') AND sex = 'all' AND age_band = 'all'
        UNION ALL
        SELECT program_id, 'enrolled' AS indicator, 'all' AS period, 'program' AS dimension, program_id AS dimension_id,
               toFloat64(sum(enrolled)) AS actual, 1 AS matched
        FROM ${db}.v_cohort_retention GROUP BY program_id
        UNION ALL
        SELECT program_id, 'enrolled' AS indicator, 'all' AS period, 'partner' AS dimension, partner_id AS dimension_id,
               toFloat64(sum(enrolled)) AS actual, 1 AS matched
        FROM ${db}.v_cohort_retention GROUP BY program_id, partner_id
        UNION ALL
        SELECT program_id, 'completed' AS indicator, 'all' AS period, 'program' AS dimension, program_id AS dimension_id,
               toFloat64(sum(completed)) AS actual, 1 AS matched
        FROM ${db}.v_cohort_retention GROUP BY program_id
        UNION ALL
        SELECT program_id, 'completed' AS indicator, 'all' AS period, 'partner' AS dimension, partner_id AS dimension_id,
               toFloat64(sum(completed)) AS actual, 1 AS matched
        FROM ${db}.v_cohort_retention GROUP BY program_id, partner_id
        UNION ALL
        SELECT program_id, 'dialogues_held' AS indicator, 'all' AS period, 'program' AS dimension, program_id AS dimension_id,
               toFloat64(count()) AS actual, 1 AS matched
        FROM ${db}.v_dialogues GROUP BY program_id
        UNION ALL
        SELECT program_id, 'dialogues_held' AS indicator, 'all' AS period, 'partner' AS dimension, partner_id AS dimension_id,
               toFloat64(count()) AS actual, 1 AS matched
        FROM ${db}.v_dialogues GROUP BY program_id, partner_id
    ) AS achieved USING (program_id, indicator, period, dimension, dimension_id)
);

-- Dashboard: how fresh each table is. as_of is the latest event time a metric reflects,
-- updated_at when the streams last changed it; for field_events, occurred_at and received_at.
-- field_events counts distinct events: its raw row count depends on when the server merged
-- duplicates (and current releases merge equal keys within one insert).
DROP TABLE IF EXISTS ${db}.dash_freshness;
CREATE VIEW IF NOT EXISTS ${db}.dash_freshness AS
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
SELECT 'dialogue_attendance' AS table_name, max(as_of) AS as_of, max(updated_at) AS updated_at, count() AS row_count FROM ${db}.v_dialogue_attendance;

-- Cohort retention recomputed in SQL from field_events alone, to compare with the streamed
-- cohort_retention (invariant 3); rules as in DESIGN.md. A person's expected sessions are the held
-- sessions dated on or after the enrolment; status, first match wins: transferred (an exit with that
-- reason), completed (such an exit, or all planned sessions held and attended share >=
-- completion_attendance), dropped_out (such an exit, or the last dropout_missed_sessions expected
-- sessions all without presence), else active. Program parameters come from programs (defaults 3
-- and 0.8 when the program is unknown). Counts and sums exclude transferred persons. A person
-- enrolled twice in one cohort counts once, from the earliest enrolment.
DROP TABLE IF EXISTS ${db}.recompute_participant_status;
CREATE VIEW IF NOT EXISTS ${db}.recompute_participant_status AS
SELECT
    program_id, cohort_id, person_id, enrolled_on, planned_sessions, sessions_held,
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
            SELECT program_id, aggregate_id, cohort_id, person_id, enrolled_on, held_numbers, held_dates,
                   present_sessions, exit_reasons, planned_sessions, p_dropout, p_completion
            FROM (
                SELECT program_id, aggregate_id, cohort_id, person_id, enrolled_on, held_numbers, held_dates,
                       present_sessions, exit_reasons, planned_sessions
                FROM (
                    SELECT program_id, aggregate_id, cohort_id, person_id, enrolled_on, held_numbers, held_dates,
                           present_sessions, exit_reasons
                    FROM (
                        SELECT program_id, aggregate_id, cohort_id, person_id, enrolled_on, held_numbers, held_dates,
                               present_sessions
                        FROM (
                            SELECT program_id, aggregate_id, cohort_id, person_id, enrolled_on, held_numbers, held_dates
                            FROM (
                                SELECT program_id, aggregate_id, min(e_cohort_id) AS cohort_id, person_id,
                                       min(e_enrolled_on) AS enrolled_on
                                FROM (
                                    SELECT program_id, aggregate_id, assumeNotNull(cohort_id) AS e_cohort_id,
                                           assumeNotNull(person_id) AS person_id, assumeNotNull(enrolled_on) AS e_enrolled_on
                                    FROM ${db}.v_field_events_current
                                    WHERE event_type = 'participant_enrolled'
                                )
                                GROUP BY program_id, aggregate_id, person_id
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
);

DROP TABLE IF EXISTS ${db}.recompute_cohort_retention;
CREATE VIEW IF NOT EXISTS ${db}.recompute_cohort_retention AS
SELECT
    program_id, cohort_id, planned_sessions AS sessions_planned, sessions_held,
    enrolled, active, completed, dropped_out, transferred, present_total, expected_total,
    (active + completed) / nullIf(enrolled, 0) AS retention_rate,
    dropped_out / nullIf(enrolled, 0) AS dropout_rate,
    completed / nullIf(enrolled, 0) AS completion_rate,
    present_total / nullIf(expected_total, 0) AS attendance_rate
FROM (
    -- cohort_id, planned_sessions and sessions_held are the same on every row of an aggregate
    SELECT program_id, aggregate_id, any(cohort_id) AS cohort_id,
           any(planned_sessions) AS planned_sessions, any(sessions_held) AS sessions_held,
           countIf(status != 'transferred') AS enrolled,
           countIf(status = 'active') AS active,
           countIf(status = 'completed') AS completed,
           countIf(status = 'dropped_out') AS dropped_out,
           countIf(status = 'transferred') AS transferred,
           sumIf(sessions_attended, status != 'transferred') AS present_total,
           sumIf(sessions_expected, status != 'transferred') AS expected_total
    FROM ${db}.recompute_participant_status
    GROUP BY program_id, aggregate_id
);

-- Every streamed metric family recomputed in SQL from field_events alone (invariant 3), with the
-- column names and value formats of the streamed views, so a comparison is a plain join:
-- recompute_participant_progress ~ v_participant_progress, recompute_cohort_retention_by_group ~
-- v_cohort_retention_by_group, recompute_retention_curve ~ v_retention_curve, recompute_outreach ~
-- v_outreach, recompute_dialogues ~ v_dialogues, recompute_dialogue_attendance ~ v_dialogue_attendance.
-- Rules as in DESIGN.md and the streams (the seeds' ExpectedMetrics is the independent oracle):
--   * only registered cohorts and held dialogues have rows, only current enrolments count
--   * conflicting current records: the latest registration or DialogueHeld (by occurred_at, then
--     event_id), a person's earliest enrolment in a cohort (by enrolled_on, then event_id), the
--     earliest date of a session, present if any record says so, every exit reason counts
--   * rates with a zero denominator are 0 (recompute_cohort_retention gives NULL there)
--   * age band: birth year gives the age at enrolment (enrolled_on year - birth_year), else the age
--     column, negative or missing is unknown

-- One row per current enrolment in a registered cohort, with its status and the cohort's planned
-- and held sessions (which the by-group figures need), and its aggregate_id last.
DROP TABLE IF EXISTS ${db}.recompute_participant_detail;
CREATE VIEW IF NOT EXISTS ${db}.recompute_participant_detail AS
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
);

-- participant_progress: the detail with the streamed view's columns.
DROP TABLE IF EXISTS ${db}.recompute_participant_progress;
CREATE VIEW IF NOT EXISTS ${db}.recompute_participant_progress AS
SELECT program_id, partner_id, org_unit_id, cohort_id, person_id, sex, age_band, enrolled_on, status,
       sessions_expected, sessions_attended, attendance_rate, last_session_present
FROM ${db}.recompute_participant_detail;

-- Cohort figures by sex x age band: a row for every group with a current enrolment, transferred
-- persons included in the row but not in its denominators.
DROP TABLE IF EXISTS ${db}.recompute_cohort_retention_by_group;
CREATE VIEW IF NOT EXISTS ${db}.recompute_cohort_retention_by_group AS
SELECT
    program_id, partner_id, org_unit_id, cohort_id, sex, age_band, sessions_planned, sessions_held,
    enrolled, active, completed, dropped_out, transferred, present_total, expected_total,
    if(enrolled = 0, 0., (active + completed) / enrolled) AS retention_rate,
    if(enrolled = 0, 0., dropped_out / enrolled) AS dropout_rate,
    if(enrolled = 0, 0., completed / enrolled) AS completion_rate,
    if(expected_total = 0, 0., present_total / expected_total) AS attendance_rate
FROM (
    -- the cohort's columns are the same on every row of an aggregate
    SELECT aggregate_id, sex, age_band,
           any(program_id) AS program_id, any(partner_id) AS partner_id, any(org_unit_id) AS org_unit_id,
           any(cohort_id) AS cohort_id, any(sessions_planned) AS sessions_planned, any(sessions_held) AS sessions_held,
           toInt32(countIf(status != 'transferred')) AS enrolled,
           toInt32(countIf(status = 'active')) AS active,
           toInt32(countIf(status = 'completed')) AS completed,
           toInt32(countIf(status = 'dropped_out')) AS dropped_out,
           toInt32(countIf(status = 'transferred')) AS transferred,
           toInt32(sumIf(sessions_attended, status != 'transferred')) AS present_total,
           toInt32(sumIf(sessions_expected, status != 'transferred')) AS expected_total
    FROM ${db}.recompute_participant_detail
    GROUP BY aggregate_id, sex, age_band
);

-- Survival curve: for every held session k of a registered cohort, the persons not transferred and
-- those of them present at an expected session numbered k or later.
DROP TABLE IF EXISTS ${db}.recompute_retention_curve;
CREATE VIEW IF NOT EXISTS ${db}.recompute_retention_curve AS
SELECT program_id, partner_id, cohort_id, session_number, held_on, enrolled, surviving,
       if(enrolled = 0, 0., surviving / enrolled) AS survival_rate
FROM (
    SELECT program_id, partner_id, cohort_id, session_number, held_on,
        toInt32(length(last_presents)) AS enrolled,
        toInt32(arrayCount((last, k) -> last >= k, last_presents,
                           arrayResize([session_number], length(last_presents), session_number))) AS surviving
    FROM (
        SELECT program_id, partner_id, cohort_id, session_number, held_on, last_presents
        FROM (
            SELECT aggregate_id, program_id, partner_id, cohort_id, session_number, held_on
            FROM (
                SELECT aggregate_id, toInt32(assumeNotNull(session_number)) AS session_number,
                       min(assumeNotNull(held_on)) AS held_on
                FROM ${db}.v_field_events_current
                WHERE event_type = 'session_held'
                GROUP BY aggregate_id, session_number
            ) AS session
            ALL INNER JOIN (
                SELECT aggregate_id,
                       tupleElement(reg, 1) AS program_id,
                       tupleElement(reg, 2) AS partner_id,
                       tupleElement(reg, 3) AS cohort_id
                FROM (
                    SELECT aggregate_id,
                           argMax((program_id, partner_id, assumeNotNull(cohort_id)), (occurred_at, event_id)) AS reg
                    FROM ${db}.v_field_events_current
                    WHERE event_type = 'training_cohort_registered'
                    GROUP BY aggregate_id
                )
            ) AS registration USING (aggregate_id)
        ) AS held
        ALL LEFT JOIN (
            SELECT aggregate_id, groupArray(toInt32(ifNull(last_session_present, 0))) AS last_presents
            FROM ${db}.recompute_participant_detail
            WHERE status != 'transferred'
            GROUP BY aggregate_id
        ) AS persons USING (aggregate_id)
    )
);

-- Dialogues held (current DialogueHeld), every current attendee counted by sex, distinct identified
-- persons.
DROP TABLE IF EXISTS ${db}.recompute_dialogues;
CREATE VIEW IF NOT EXISTS ${db}.recompute_dialogues AS
SELECT program_id, partner_id, org_unit_id, dialogue_id, kind, topic, held_on,
       toInt32(attendees) AS attendees,
       toInt32(attendees_female) AS attendees_female,
       toInt32(attendees_male) AS attendees_male,
       toInt32(attendees_other) AS attendees_other,
       toInt32(attendees_unknown) AS attendees_unknown,
       toInt32(identified_persons) AS identified_persons
FROM (
    SELECT program_id, partner_id, org_unit_id, dialogue_id, kind, topic, held_on, attendees, attendees_female,
           attendees_male, attendees_other, attendees_unknown, identified_persons
    FROM (
        SELECT aggregate_id,
               tupleElement(held, 1) AS program_id,
               tupleElement(held, 2) AS partner_id,
               tupleElement(held, 3) AS org_unit_id,
               tupleElement(held, 4) AS dialogue_id,
               tupleElement(held, 5) AS kind,
               tupleElement(held, 6) AS topic,
               tupleElement(held, 7) AS held_on
        FROM (
            SELECT aggregate_id,
                   argMax((program_id, partner_id, org_unit_id, assumeNotNull(dialogue_id), assumeNotNull(kind),
                           assumeNotNull(topic), assumeNotNull(held_on)), (occurred_at, event_id)) AS held
            FROM ${db}.v_field_events_current
            WHERE event_type = 'dialogue_held'
            GROUP BY aggregate_id
        )
    ) AS dialogue
    ALL LEFT JOIN (
        SELECT aggregate_id,
               count() AS attendees,
               countIf(ifNull(sex, 'unknown') = 'female') AS attendees_female,
               countIf(ifNull(sex, 'unknown') = 'male') AS attendees_male,
               countIf(ifNull(sex, 'unknown') = 'other') AS attendees_other,
               countIf(ifNull(sex, 'unknown') = 'unknown') AS attendees_unknown,
               uniqExactIf(assumeNotNull(person_id), person_id IS NOT NULL) AS identified_persons
        FROM ${db}.v_field_events_current
        WHERE event_type = 'dialogue_attended'
        GROUP BY aggregate_id
    ) AS attendance USING (aggregate_id)
);

-- Attendance of held dialogues by role and sex (attendees without a person id included).
DROP TABLE IF EXISTS ${db}.recompute_dialogue_attendance;
CREATE VIEW IF NOT EXISTS ${db}.recompute_dialogue_attendance AS
SELECT program_id, partner_id, dialogue_id, kind, held_on, role, sex, attendees
FROM (
    SELECT aggregate_id, assumeNotNull(role) AS role, ifNull(sex, 'unknown') AS sex,
           toInt32(count()) AS attendees
    FROM ${db}.v_field_events_current
    WHERE event_type = 'dialogue_attended'
    GROUP BY aggregate_id, role, sex
) AS attendance
ALL INNER JOIN (
    SELECT aggregate_id,
           tupleElement(held, 1) AS program_id,
           tupleElement(held, 2) AS partner_id,
           tupleElement(held, 3) AS dialogue_id,
           tupleElement(held, 4) AS kind,
           tupleElement(held, 5) AS held_on
    FROM (
        SELECT aggregate_id,
               argMax((program_id, partner_id, assumeNotNull(dialogue_id), assumeNotNull(kind), assumeNotNull(held_on)),
                      (occurred_at, event_id)) AS held
        FROM ${db}.v_field_events_current
        WHERE event_type = 'dialogue_held'
        GROUP BY aggregate_id
    )
) AS dialogue USING (aggregate_id);

-- Every reach of a person: present at a held session of any cohort (enrolled or not), or an
-- identified attendee of a held dialogue. month = first day of the session's or dialogue's month,
-- org unit = the cohort's registration's or the dialogue's ('' when unknown).
DROP TABLE IF EXISTS ${db}.recompute_outreach_reaches;
CREATE VIEW IF NOT EXISTS ${db}.recompute_outreach_reaches AS
SELECT program_id, person_id, partner_id, month, unit_key
FROM (
    SELECT program_id, person_id, partner_id, toStartOfMonth(held_on) AS month, ifNull(org_unit_id, '') AS unit_key
    FROM (
        SELECT program_id, person_id, partner_id, held_on, org_unit_id
        FROM (
            SELECT program_id, person_id, partner_id, aggregate_id, held_on
            FROM (
                SELECT program_id, partner_id, aggregate_id,
                       toInt32(assumeNotNull(session_number)) AS session_number, assumeNotNull(person_id) AS person_id
                FROM ${db}.v_field_events_current
                WHERE event_type = 'attendance_recorded' AND status = 'present'
            ) AS presence
            ALL INNER JOIN (
                SELECT aggregate_id, toInt32(assumeNotNull(session_number)) AS session_number,
                       min(assumeNotNull(held_on)) AS held_on
                FROM ${db}.v_field_events_current
                WHERE event_type = 'session_held'
                GROUP BY aggregate_id, session_number
            ) AS session USING (aggregate_id, session_number)
        ) AS held
        ALL LEFT JOIN (
            SELECT aggregate_id, tupleElement(argMax(tuple(org_unit_id), (occurred_at, event_id)), 1) AS org_unit_id
            FROM ${db}.v_field_events_current
            WHERE event_type = 'training_cohort_registered'
            GROUP BY aggregate_id
        ) AS registration USING (aggregate_id)
    )
    UNION ALL
    SELECT program_id, person_id, partner_id, toStartOfMonth(held_on) AS month, ifNull(d_org_unit_id, '') AS unit_key
    FROM (
        SELECT program_id, person_id, partner_id, held_on, d_org_unit_id
        FROM (
            SELECT program_id, partner_id, aggregate_id, assumeNotNull(person_id) AS person_id
            FROM (
                SELECT * FROM ${db}.v_field_events_current
                WHERE event_type = 'dialogue_attended' AND person_id IS NOT NULL
            )
        ) AS attendee
        ALL INNER JOIN (
            SELECT aggregate_id, tupleElement(held, 1) AS held_on, tupleElement(held, 2) AS d_org_unit_id
            FROM (
                SELECT aggregate_id,
                       argMax((assumeNotNull(held_on), org_unit_id), (occurred_at, event_id)) AS held
                FROM ${db}.v_field_events_current
                WHERE event_type = 'dialogue_held'
                GROUP BY aggregate_id
            )
        ) AS dialogue USING (aggregate_id)
    )
);

-- A person's outreach sex and age band per program: the most recent of the person's earliest
-- current enrolment in each cohort and first identified attendance (least event_id) of each held
-- dialogue, by date; ties: the enrolment, then the greater aggregate_id.
DROP TABLE IF EXISTS ${db}.recompute_outreach_attributes;
CREATE VIEW IF NOT EXISTS ${db}.recompute_outreach_attributes AS
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
);

-- Outreach: distinct persons per program x period (month, quarter, to_date) x dimension (program,
-- partner, district, upazila via the org unit's ancestry) x (the person's sex x age band, and all x
-- all), exact counts. new_people_reached: the grain's persons whose first month ever reached in the
-- program lies in the period.
DROP TABLE IF EXISTS ${db}.recompute_outreach;
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
                        SELECT program_id, person_id, partner_id, month, district_key, upazila_key, p_sex, p_band,
                               first_month, program_start
                        FROM (
                            SELECT program_id, person_id, partner_id, month, district_key, upazila_key, p_sex, p_band,
                                   first_month
                            FROM (
                                SELECT program_id, person_id, partner_id, month, district_key, upazila_key, p_sex, p_band
                                FROM (
                                    SELECT program_id, person_id, partner_id, month, district_key, upazila_key
                                    FROM (
                                        SELECT DISTINCT program_id, person_id, partner_id, month, unit_key
                                        FROM ${db}.recompute_outreach_reaches
                                    ) AS reach
                                    ALL LEFT JOIN (
                                        SELECT org_unit_id AS unit_key, ifNull(district_id, '') AS district_key,
                                               ifNull(upazila_id, '') AS upazila_key
                                        FROM ${db}.v_org_units
                                    ) AS unit USING (unit_key)
                                ) AS placed
                                ALL LEFT JOIN (
                                    SELECT program_id, person_id, sex AS p_sex, age_band AS p_band
                                    FROM ${db}.recompute_outreach_attributes
                                ) AS attributes USING (program_id, person_id)
                            ) AS described
                            ALL LEFT JOIN (
                                SELECT program_id, person_id, min(month) AS first_month
                                FROM ${db}.recompute_outreach_reaches
                                GROUP BY program_id, person_id
                            ) AS first_reach USING (program_id, person_id)
                        ) AS dated
                        ALL LEFT JOIN (
                            SELECT program_id, start_date AS program_start FROM ${db}.v_programs
                        ) AS program USING (program_id)
                    )
                )
            )
        )
    )
)
GROUP BY program_id, period_kind, period, period_start, dimension, dimension_id, sex, age_band;
