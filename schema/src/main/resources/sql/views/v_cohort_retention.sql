SELECT * FROM ${db}.cohort_retention FINAL WHERE deleted = 0
