SELECT * FROM ${db}.targets FINAL WHERE deleted = 0
