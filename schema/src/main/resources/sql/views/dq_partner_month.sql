-- Data quality per partner and month (the month of the record's own date in Asia/Dhaka), for
-- fieldstream report quality and analysts; docs/design.md, "Data quality". Every measure counts
-- distinct events or current records:
-- timeliness, over every event but retractions (all revisions): records, days from the record date to
-- its receipt (received_at in Asia/Dhaka) as median and 90th percentile (quantileExact: the element at
-- rank floor(q * n) of the sorted days), on_time_share received by the reporting deadline, the
-- program's reporting_deadline_days (10 for a program without reference data) after the end of the
-- record's month;
-- integrity: corrections (events of revision > 1 that are not retractions) and retractions (by the
-- month they were received);
-- completeness: held sessions with no attendance recorded (current records), current enrolments
-- with unknown sex or age (age at enrolment from birth year, else age; negative or missing);
-- validity: current enrolments, sessions and exits dated before the cohort's start date or after its
-- end date (the cohort's current registration: latest by occurred_at, then event_id), held sessions
-- with more persons present than persons with a current enrolment in the cohort.
SELECT program_id, partner_id, month,
       sum(records) AS records,
       sum(median_days_to_receipt) AS median_days_to_receipt,
       sum(p90_days_to_receipt) AS p90_days_to_receipt,
       sum(on_time_share) AS on_time_share,
       sum(corrections) AS corrections,
       sum(retractions) AS retractions,
       sum(held_sessions_without_attendance) AS held_sessions_without_attendance,
       sum(enrolments_unknown_sex_or_age) AS enrolments_unknown_sex_or_age,
       sum(records_outside_cohort_dates) AS records_outside_cohort_dates,
       sum(sessions_more_present_than_enrolled) AS sessions_more_present_than_enrolled
FROM (
    SELECT program_id, partner_id, month,
           toUInt64(count()) AS records,
           toFloat64(quantileExact(0.5)(days)) AS median_days_to_receipt,
           toFloat64(quantileExact(0.9)(days)) AS p90_days_to_receipt,
           countIf(received_on <= deadline) / count() AS on_time_share,
           toUInt64(countIf(revision > 1)) AS corrections,
           toUInt64(0) AS retractions,
           toUInt64(0) AS held_sessions_without_attendance,
           toUInt64(0) AS enrolments_unknown_sex_or_age,
           toUInt64(0) AS records_outside_cohort_dates,
           toUInt64(0) AS sessions_more_present_than_enrolled
    FROM (
        SELECT program_id, partner_id, revision, month, received_on, days,
               addDays(addMonths(month, 1), toInt32(if(known = 1, deadline_days, 10)) - 1) AS deadline
        FROM (
            SELECT program_id, partner_id, revision, month, received_on,
                   toInt32(toUInt32(received_on)) - toInt32(toUInt32(record_date)) AS days
            FROM (
                SELECT program_id, partner_id, revision,
                       toDate(occurred_at, 'Asia/Dhaka') AS record_date,
                       toStartOfMonth(toDate(occurred_at, 'Asia/Dhaka')) AS month,
                       toDate(received_at, 'Asia/Dhaka') AS received_on
                FROM ${db}.field_events FINAL
                WHERE event_type != 'record_retracted'
            )
        ) AS dated
        ALL LEFT JOIN (
            SELECT program_id, toUInt8(1) AS known, reporting_deadline_days AS deadline_days
            FROM ${db}.v_programs
        ) AS program USING (program_id)
    )
    GROUP BY program_id, partner_id, month
    UNION ALL
    SELECT program_id, partner_id, month,
           toUInt64(0) AS records, toFloat64(0) AS median_days_to_receipt, toFloat64(0) AS p90_days_to_receipt,
           toFloat64(0) AS on_time_share, toUInt64(0) AS corrections,
           toUInt64(count()) AS retractions,
           toUInt64(0) AS held_sessions_without_attendance, toUInt64(0) AS enrolments_unknown_sex_or_age,
           toUInt64(0) AS records_outside_cohort_dates, toUInt64(0) AS sessions_more_present_than_enrolled
    FROM (
        SELECT program_id, partner_id, toStartOfMonth(toDate(received_at, 'Asia/Dhaka')) AS month
        FROM ${db}.field_events FINAL
        WHERE event_type = 'record_retracted'
    )
    GROUP BY program_id, partner_id, month
    UNION ALL
    SELECT program_id, partner_id, month,
           toUInt64(0) AS records, toFloat64(0) AS median_days_to_receipt, toFloat64(0) AS p90_days_to_receipt,
           toFloat64(0) AS on_time_share, toUInt64(0) AS corrections, toUInt64(0) AS retractions,
           toUInt64(countIf(marked = 0)) AS held_sessions_without_attendance,
           toUInt64(0) AS enrolments_unknown_sex_or_age,
           toUInt64(0) AS records_outside_cohort_dates,
           toUInt64(countIf(present > enrolled)) AS sessions_more_present_than_enrolled
    FROM (
        SELECT program_id, partner_id, toStartOfMonth(held) AS month, marked, present, enrolled
        FROM (
            SELECT program_id, partner_id, aggregate_id, n, held, marked, present
            FROM (
                SELECT program_id, partner_id, aggregate_id, assumeNotNull(session_number) AS n, assumeNotNull(held_on) AS held
                FROM ${db}.v_field_events_current
                WHERE event_type = 'session_held'
            ) AS session
            ALL LEFT JOIN (
                SELECT aggregate_id, n, toUInt8(1) AS marked, toUInt64(uniqExactIf(person, status = 'present')) AS present
                FROM (
                    SELECT aggregate_id, assumeNotNull(session_number) AS n, ifNull(person_id, '') AS person, ifNull(status, '') AS status
                    FROM ${db}.v_field_events_current
                    WHERE event_type = 'attendance_recorded'
                )
                GROUP BY aggregate_id, n
            ) AS attendance USING (aggregate_id, n)
        ) AS held_session
        ALL LEFT JOIN (
            SELECT aggregate_id, toUInt64(uniqExact(person)) AS enrolled
            FROM (
                SELECT aggregate_id, ifNull(person_id, '') AS person
                FROM ${db}.v_field_events_current
                WHERE event_type = 'participant_enrolled'
            )
            GROUP BY aggregate_id
        ) AS enrolment USING (aggregate_id)
    )
    GROUP BY program_id, partner_id, month
    UNION ALL
    SELECT program_id, partner_id, month,
           toUInt64(0) AS records, toFloat64(0) AS median_days_to_receipt, toFloat64(0) AS p90_days_to_receipt,
           toFloat64(0) AS on_time_share, toUInt64(0) AS corrections, toUInt64(0) AS retractions,
           toUInt64(0) AS held_sessions_without_attendance,
           toUInt64(countIf(unknown = 1)) AS enrolments_unknown_sex_or_age,
           toUInt64(countIf(outside = 1)) AS records_outside_cohort_dates,
           toUInt64(0) AS sessions_more_present_than_enrolled
    FROM (
        SELECT program_id, partner_id, toStartOfMonth(dated) AS month, unknown,
               toUInt8(registered = 1 AND (dated < tupleElement(dates, 1) OR dated > tupleElement(dates, 2))) AS outside
        FROM (
            SELECT program_id, partner_id, aggregate_id, dated, unknown
            FROM (
                SELECT program_id, partner_id, aggregate_id,
                       assumeNotNull(multiIf(event_type = 'participant_enrolled', enrolled_on, event_type = 'session_held', held_on, exited_on)) AS dated,
                       toUInt8(event_type = 'participant_enrolled'
                               AND (ifNull(sex, 'unknown') = 'unknown' OR ifNull(a, -1) < 0)) AS unknown
                FROM (
                    SELECT *, if(birth_year IS NULL, age, toYear(assumeNotNull(enrolled_on)) - birth_year) AS a
                    FROM ${db}.v_field_events_current
                    WHERE event_type IN ('participant_enrolled', 'session_held')
                       OR (event_type = 'participant_exited' AND exited_on IS NOT NULL)
                )
            )
        ) AS dated_record
        ALL LEFT JOIN (
            SELECT aggregate_id, toUInt8(1) AS registered,
                   argMax((assumeNotNull(start_date), ifNull(end_date, toDate('2100-01-01'))), (occurred_at, event_id)) AS dates
            FROM ${db}.v_field_events_current
            WHERE event_type = 'training_cohort_registered'
            GROUP BY aggregate_id
        ) AS registration USING (aggregate_id)
    )
    GROUP BY program_id, partner_id, month
)
GROUP BY program_id, partner_id, month
