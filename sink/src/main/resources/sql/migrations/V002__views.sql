-- Read views. Metric and reference tables are ReplacingMergeTree: read them through these FINAL
-- views, which keep the highest version per key and hide rows marked deleted.
-- Only syntax ClickHouse 18.16 accepts: one JOIN per SELECT (ANY LEFT JOIN ... USING), join keys
-- never Nullable, no CTEs, no window functions.

CREATE VIEW IF NOT EXISTS ${db}.v_field_events AS
SELECT * FROM ${db}.field_events FINAL;

-- The current state of every record: the event with the highest revision per root_id, unless that
-- event is a retraction (which voids the record).
CREATE VIEW IF NOT EXISTS ${db}.v_field_events_current AS
SELECT *
FROM ${db}.field_events FINAL
WHERE (root_id, revision) IN (
    SELECT root_id, max(revision)
    FROM ${db}.field_events FINAL
    GROUP BY root_id
)
AND event_type != 'record_retracted';

CREATE VIEW IF NOT EXISTS ${db}.v_cohort_retention AS
SELECT * FROM ${db}.cohort_retention FINAL WHERE deleted = 0;

CREATE VIEW IF NOT EXISTS ${db}.v_cohort_retention_by_group AS
SELECT * FROM ${db}.cohort_retention_by_group FINAL WHERE deleted = 0;

CREATE VIEW IF NOT EXISTS ${db}.v_participant_progress AS
SELECT * FROM ${db}.participant_progress FINAL WHERE deleted = 0;

CREATE VIEW IF NOT EXISTS ${db}.v_retention_curve AS
SELECT * FROM ${db}.retention_curve FINAL WHERE deleted = 0;

CREATE VIEW IF NOT EXISTS ${db}.v_outreach AS
SELECT * FROM ${db}.outreach FINAL WHERE deleted = 0;

CREATE VIEW IF NOT EXISTS ${db}.outreach_monthly AS
SELECT * FROM ${db}.outreach FINAL WHERE deleted = 0 AND period_kind = 'month';

CREATE VIEW IF NOT EXISTS ${db}.outreach_quarterly AS
SELECT * FROM ${db}.outreach FINAL WHERE deleted = 0 AND period_kind = 'quarter';

CREATE VIEW IF NOT EXISTS ${db}.outreach_to_date AS
SELECT * FROM ${db}.outreach FINAL WHERE deleted = 0 AND period_kind = 'to_date';

CREATE VIEW IF NOT EXISTS ${db}.v_dialogues AS
SELECT * FROM ${db}.dialogues FINAL WHERE deleted = 0;

CREATE VIEW IF NOT EXISTS ${db}.v_dialogue_attendance AS
SELECT * FROM ${db}.dialogue_attendance FINAL WHERE deleted = 0;

CREATE VIEW IF NOT EXISTS ${db}.v_programs AS
SELECT * FROM ${db}.programs FINAL WHERE deleted = 0;

CREATE VIEW IF NOT EXISTS ${db}.v_partners AS
SELECT * FROM ${db}.partners FINAL WHERE deleted = 0;

CREATE VIEW IF NOT EXISTS ${db}.v_org_units AS
SELECT * FROM ${db}.org_units FINAL WHERE deleted = 0;

CREATE VIEW IF NOT EXISTS ${db}.v_targets AS
SELECT * FROM ${db}.targets FINAL WHERE deleted = 0;

-- Dashboard: cohort totals by partner and district. Counts are sums of per-cohort person counts;
-- rates are recomputed from those sums, never averaged. A cohort whose org unit is unknown or
-- above district level falls under district_id ''.
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
        program_id, partner_id, partner_name, district_id, district_name,
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
        SELECT *
        FROM (
            SELECT *
            FROM (
                SELECT program_id, partner_id, cohort_id,
                       enrolled AS c_enrolled, active AS c_active, completed AS c_completed,
                       dropped_out AS c_dropped_out, transferred AS c_transferred,
                       present_total AS c_present, expected_total AS c_expected, as_of AS c_as_of,
                       ifNull(org_unit_id, '') AS unit_key
                FROM ${db}.v_cohort_retention
            )
            ANY LEFT JOIN (
                SELECT org_unit_id AS unit_key,
                       if(level = 'district', org_unit_id, ifNull(district_id, '')) AS district_id
                FROM ${db}.v_org_units
            ) USING (unit_key)
        )
        ANY LEFT JOIN (
            SELECT org_unit_id AS district_id, name AS district_name FROM ${db}.v_org_units
        ) USING (district_id)
    )
    ANY LEFT JOIN (
        SELECT partner_id, name AS partner_name FROM ${db}.v_partners
    ) USING (partner_id)
    GROUP BY program_id, partner_id, partner_name, district_id, district_name
);

-- Dashboard: survival curve per cohort (one point per held session).
CREATE VIEW IF NOT EXISTS ${db}.dash_survival_curves AS
SELECT program_id, partner_id, cohort_id, session_number, held_on, enrolled, surviving, survival_rate, as_of
FROM ${db}.v_retention_curve;

-- Dashboard: survival by program and session number, pooled over cohorts.
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
CREATE VIEW IF NOT EXISTS ${db}.dash_people_reached_by_month AS
SELECT program_id, period AS month, period_start, dimension, dimension_id,
       people_reached, new_people_reached, as_of, updated_at
FROM ${db}.outreach_monthly
WHERE sex = 'all' AND age_band = 'all';

-- Dashboard: targets next to actuals. Actuals come from exact figures only: people reached per
-- quarter and to date (period 'all') from outreach; enrolled and completed to date by program and
-- partner from cohort totals; dialogues held to date by program and partner.
CREATE VIEW IF NOT EXISTS ${db}.dash_targets_vs_actuals AS
SELECT program_id, indicator, period, dimension, dimension_id, target, actual,
       actual / nullIf(target, 0) AS achievement
FROM ${db}.v_targets
ANY LEFT JOIN (
    SELECT program_id, 'people_reached' AS indicator, if(period_kind = 'to_date', 'all', period) AS period,
           dimension, dimension_id, toFloat64(people_reached) AS actual
    FROM ${db}.v_outreach
    WHERE period_kind IN ('quarter', 'to_date') AND sex = 'all' AND age_band = 'all'
    UNION ALL
    SELECT program_id, 'enrolled' AS indicator, 'all' AS period, 'program' AS dimension, program_id AS dimension_id,
           toFloat64(sum(enrolled)) AS actual
    FROM ${db}.v_cohort_retention GROUP BY program_id
    UNION ALL
    SELECT program_id, 'enrolled' AS indicator, 'all' AS period, 'partner' AS dimension, partner_id AS dimension_id,
           toFloat64(sum(enrolled)) AS actual
    FROM ${db}.v_cohort_retention GROUP BY program_id, partner_id
    UNION ALL
    SELECT program_id, 'completed' AS indicator, 'all' AS period, 'program' AS dimension, program_id AS dimension_id,
           toFloat64(sum(completed)) AS actual
    FROM ${db}.v_cohort_retention GROUP BY program_id
    UNION ALL
    SELECT program_id, 'completed' AS indicator, 'all' AS period, 'partner' AS dimension, partner_id AS dimension_id,
           toFloat64(sum(completed)) AS actual
    FROM ${db}.v_cohort_retention GROUP BY program_id, partner_id
    UNION ALL
    SELECT program_id, 'dialogues_held' AS indicator, 'all' AS period, 'program' AS dimension, program_id AS dimension_id,
           toFloat64(count()) AS actual
    FROM ${db}.v_dialogues GROUP BY program_id
    UNION ALL
    SELECT program_id, 'dialogues_held' AS indicator, 'all' AS period, 'partner' AS dimension, partner_id AS dimension_id,
           toFloat64(count()) AS actual
    FROM ${db}.v_dialogues GROUP BY program_id, partner_id
) USING (program_id, indicator, period, dimension, dimension_id);

-- Dashboard: how fresh each table is. as_of is the latest event time a metric reflects,
-- updated_at when the streams last changed it; for field_events, occurred_at and received_at.
CREATE VIEW IF NOT EXISTS ${db}.dash_freshness AS
SELECT 'field_events' AS table_name, max(occurred_at) AS as_of, max(received_at) AS updated_at, count() AS row_count FROM ${db}.field_events
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
