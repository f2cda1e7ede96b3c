SELECT * FROM ${db}.dialogue_attendance FINAL WHERE deleted = 0
