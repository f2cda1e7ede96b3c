SELECT * FROM ${db}.outreach FINAL WHERE deleted = 0
