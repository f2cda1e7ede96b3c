SELECT * FROM ${db}.participant_progress FINAL WHERE deleted = 0
