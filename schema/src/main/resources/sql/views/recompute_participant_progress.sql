-- participant_progress: the detail with the streamed view's columns.
SELECT program_id, partner_id, org_unit_id, cohort_id, person_id, sex, age_band, enrolled_on, status,
       sessions_expected, sessions_attended, attendance_rate, last_session_present
FROM ${db}.recompute_participant_detail
