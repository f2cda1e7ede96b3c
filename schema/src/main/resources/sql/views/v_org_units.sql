SELECT * FROM ${db}.org_units FINAL WHERE deleted = 0
