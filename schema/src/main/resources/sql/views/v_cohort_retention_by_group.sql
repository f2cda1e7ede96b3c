SELECT * FROM ${db}.cohort_retention_by_group FINAL WHERE deleted = 0
