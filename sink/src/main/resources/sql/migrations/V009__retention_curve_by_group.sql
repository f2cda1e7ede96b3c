-- The survival curve by sex x age band: retention_curve gains sex and age_band, in its sorting key
-- (without them a ReplacingMergeTree would fold a cohort's groups into one row per session). The
-- total keeps sex = age_band = 'all', as in cohort_retention and outreach. The table is rebuilt as
-- in V007: copy into a new table with the new sorting key (the rows so far are totals), swap the
-- names, drop the old one. Every step can run again after a failure part way: the sink writes rows
-- of the new grain only once this migration is recorded, so until then the table holds totals only
-- and a repeated copy copies totals.

DROP TABLE IF EXISTS ${db}.retention_curve_ungrouped;

CREATE TABLE IF NOT EXISTS ${db}.retention_curve_grouped (
    program_id String,
    partner_id String,
    cohort_id String,
    sex String DEFAULT 'all',
    age_band String DEFAULT 'all',
    session_number Int32,
    held_on Date,
    enrolled Int32,
    surviving Int32,
    survival_rate Float64,
    as_of DateTime('UTC'),
    updated_at DateTime('UTC'),
    version UInt64,
    deleted UInt8,
    source_topic String,
    source_partition UInt32,
    source_offset UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (program_id, partner_id, cohort_id, session_number, sex, age_band);

INSERT INTO ${db}.retention_curve_grouped
SELECT program_id, partner_id, cohort_id, 'all' AS sex, 'all' AS age_band, session_number, held_on, enrolled, surviving,
       survival_rate, as_of, updated_at, version, deleted, source_topic, source_partition, source_offset
FROM ${db}.retention_curve;

RENAME TABLE ${db}.retention_curve TO ${db}.retention_curve_ungrouped, ${db}.retention_curve_grouped TO ${db}.retention_curve;

DROP TABLE IF EXISTS ${db}.retention_curve_ungrouped;

-- Every grain: the total (sex = age_band = 'all') and each sex x age band with an enrolment.
DROP TABLE IF EXISTS ${db}.v_retention_curve;
CREATE VIEW IF NOT EXISTS ${db}.v_retention_curve AS
SELECT program_id, partner_id, cohort_id, sex, age_band, session_number, held_on, enrolled, surviving, survival_rate,
       as_of, updated_at, version, deleted, source_topic, source_partition, source_offset
FROM ${db}.retention_curve FINAL
WHERE deleted = 0;

-- Dashboard: survival curve per cohort (one point per held session), in total.
DROP TABLE IF EXISTS ${db}.dash_survival_curves;
CREATE VIEW IF NOT EXISTS ${db}.dash_survival_curves AS
SELECT program_id, partner_id, cohort_id, session_number, held_on, enrolled, surviving, survival_rate, as_of
FROM ${db}.v_retention_curve
WHERE sex = 'all' AND age_band = 'all';

-- Dashboard: survival by program and session number, pooled over cohorts' totals.
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
        WHERE sex = 'all' AND age_band = 'all'
    )
    GROUP BY program_id, session_number
);

-- Held sessions of every registered cohort in number order (a session's date: its earliest current
-- record), one row per aggregate with the cohort's latest registration; the survival curve's
-- recomputation reads it.
DROP TABLE IF EXISTS ${db}.recompute_held_sessions;
CREATE VIEW IF NOT EXISTS ${db}.recompute_held_sessions AS
SELECT aggregate_id, session_numbers, held_dates, program_id, partner_id, cohort_id
FROM (
    SELECT aggregate_id,
           arrayMap(s -> tupleElement(s, 1), sessions) AS session_numbers,
           arrayMap(s -> tupleElement(s, 2), sessions) AS held_dates
    FROM (
        SELECT aggregate_id, arraySort(groupArray((session_number, held_on))) AS sessions
        FROM (
            SELECT aggregate_id, toInt32(assumeNotNull(session_number)) AS session_number,
                   min(assumeNotNull(held_on)) AS held_on
            FROM ${db}.v_field_events_current
            WHERE event_type = 'session_held'
            GROUP BY aggregate_id, session_number
        )
        GROUP BY aggregate_id
    )
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
) AS registration USING (aggregate_id);

-- Survival curve recomputed from field_events (invariant 3), by grain: for every held session k of a
-- registered cohort, in total and for every sex x age band with a current enrolment (transferred
-- persons included, as in recompute_cohort_retention_by_group), the grain's persons not transferred
-- and those of them present at an expected session numbered k or later.
DROP TABLE IF EXISTS ${db}.recompute_retention_curve;
CREATE VIEW IF NOT EXISTS ${db}.recompute_retention_curve AS
SELECT program_id, partner_id, cohort_id, sex, age_band, session_number, held_on, enrolled, surviving,
       if(enrolled = 0, 0., surviving / enrolled) AS survival_rate
FROM (
    SELECT program_id, partner_id, cohort_id, sex, age_band, session_number, held_on,
        toInt32(length(last_presents)) AS enrolled,
        toInt32(arrayCount((last, k) -> last >= k, last_presents,
                           arrayResize([session_number], length(last_presents), session_number))) AS surviving
    FROM (
        SELECT program_id, partner_id, cohort_id, sex, age_band, session_number, held_on, last_presents
        FROM (
            SELECT program_id, partner_id, cohort_id, sex, age_band, session_numbers, held_dates, last_presents
            FROM (
                SELECT aggregate_id, 'all' AS sex, 'all' AS age_band, session_numbers, held_dates,
                       program_id, partner_id, cohort_id
                FROM ${db}.recompute_held_sessions
            ) AS cohort
            ALL LEFT JOIN (
                SELECT aggregate_id, groupArrayIf(toInt32(ifNull(last_session_present, 0)), status != 'transferred') AS last_presents
                FROM ${db}.recompute_participant_detail
                GROUP BY aggregate_id
            ) AS persons USING (aggregate_id)
            UNION ALL
            SELECT program_id, partner_id, cohort_id, sex, age_band, session_numbers, held_dates, last_presents
            FROM (
                SELECT aggregate_id, sex, age_band,
                       groupArrayIf(toInt32(ifNull(last_session_present, 0)), status != 'transferred') AS last_presents
                FROM ${db}.recompute_participant_detail
                GROUP BY aggregate_id, sex, age_band
            ) AS grain
            ALL INNER JOIN (
                SELECT aggregate_id, session_numbers, held_dates, program_id, partner_id, cohort_id
                FROM ${db}.recompute_held_sessions
            ) AS cohort USING (aggregate_id)
        )
        ARRAY JOIN session_numbers AS session_number, held_dates AS held_on
    )
);
