SELECT * FROM ${db}.outreach FINAL WHERE deleted = 0 AND period_kind = 'quarter'
