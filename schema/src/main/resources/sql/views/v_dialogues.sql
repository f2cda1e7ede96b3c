SELECT * FROM ${db}.dialogues FINAL WHERE deleted = 0
