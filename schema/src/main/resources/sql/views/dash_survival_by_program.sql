-- Dashboard: survival by program and session number, pooled over cohorts' totals.
SELECT program_id, session_number, cohorts, enrolled, surviving,
       surviving / nullIf(enrolled, 0) AS survival_rate, as_of
FROM (
    SELECT program_id, session_number,
           count() AS cohorts,
           sum(c_enrolled) AS enrolled,
           sum(c_surviving) AS surviving,
           max(c_as_of) AS as_of
    FROM (
        SELECT program_id, session_number, enrolled AS c_enrolled, surviving AS c_surviving, as_of AS c_as_of
        FROM ${db}.v_retention_curve
        WHERE sex = 'all' AND age_band = 'all'
    )
    GROUP BY program_id, session_number
)
