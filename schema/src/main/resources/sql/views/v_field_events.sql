SELECT * FROM ${db}.field_events FINAL
