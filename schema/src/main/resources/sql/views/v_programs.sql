SELECT * FROM ${db}.programs FINAL WHERE deleted = 0
