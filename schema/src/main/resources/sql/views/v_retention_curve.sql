-- Every grain: the total (sex = age_band = 'all') and each sex x age band with an enrolment.
SELECT program_id, partner_id, cohort_id, sex, age_band, session_number, held_on, enrolled, surviving, survival_rate,
       as_of, updated_at, version, deleted, source_topic, source_partition, source_offset
FROM ${db}.retention_curve FINAL
WHERE deleted = 0
