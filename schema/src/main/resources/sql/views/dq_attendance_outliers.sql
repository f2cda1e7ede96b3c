-- Attendance outliers, per program, partner and month of the session's date: of the partner's held
-- sessions with attendance recorded (current SessionHeld and attendance records), sessions, and
-- outlier_sessions, whose count of persons present x lies far from the partner's own history, all its
-- such sessions of every month: modified z-score 0.6745 * |x - median| / MAD > 3.5, where median is
-- the median present count and MAD the median of |x - median| (quantileExact's rule: the element at
-- rank floor(n / 2) of the sorted values, here taken from the sorted array of the partner's sessions,
-- so dq_session_attendance is read once). When MAD = 0 (at least half the sessions share one count),
-- every session whose count differs from the median is an outlier. median_present and
-- mad_present are shown. docs/design.md, "Data quality".
SELECT program_id, partner_id, month,
       toUInt64(count()) AS sessions,
       toUInt64(countIf(if(mad = 0, x != median, 0.6745 * abs(x - median) / mad > 3.5))) AS outlier_sessions,
       any(median) AS median_present,
       any(mad) AS mad_present
FROM (
    SELECT program_id, partner_id, tupleElement(session, 1) AS month, toFloat64(tupleElement(session, 2)) AS x, median, mad
    FROM (
        SELECT program_id, partner_id, sessions, median,
               arrayElement(arraySort(arrayMap(s -> abs(toFloat64(tupleElement(s, 2)) - median), sessions)),
                            intDiv(length(sessions), 2) + 1) AS mad
        FROM (
            SELECT program_id, partner_id, groupArray((month, present)) AS sessions,
                   toFloat64(arrayElement(arraySort(groupArray(present)), intDiv(count(), 2) + 1)) AS median
            FROM ${db}.dq_session_attendance
            GROUP BY program_id, partner_id
        )
    )
    ARRAY JOIN sessions AS session
)
GROUP BY program_id, partner_id, month
