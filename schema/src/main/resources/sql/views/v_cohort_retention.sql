-- Each cohort's total (sex = age_band = 'all'). sessions_attended and sessions_expected are the
-- figures' names in reports, dashboards and person rows; present_total and expected_total, the
-- table's names, are the same figures (docs/design.md, "Names of figures").
SELECT *, present_total AS sessions_attended, expected_total AS sessions_expected
FROM ${db}.cohort_retention FINAL WHERE deleted = 0
