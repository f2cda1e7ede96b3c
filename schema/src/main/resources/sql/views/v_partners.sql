SELECT * FROM ${db}.partners FINAL WHERE deleted = 0
