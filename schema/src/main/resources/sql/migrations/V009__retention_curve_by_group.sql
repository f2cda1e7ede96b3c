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
