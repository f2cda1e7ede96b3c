-- Dashboard: cohort totals by partner and district. Counts are sums of per-cohort person counts;
-- rates are recomputed from those sums, never averaged; sessions_attended and sessions_expected are
-- the cohorts' sums (docs/design.md, "Names of figures"). A cohort whose org unit is unknown or
-- above district level falls under district_id ''.
SELECT
    program_id, partner_id, partner_name, district_id, district_name, cohorts,
    enrolled, active, completed, dropped_out, transferred, sessions_attended, sessions_expected,
    (active + completed) / nullIf(enrolled, 0) AS retention_rate,
    dropped_out / nullIf(enrolled, 0) AS dropout_rate,
    completed / nullIf(enrolled, 0) AS completion_rate,
    sessions_attended / nullIf(sessions_expected, 0) AS attendance_rate,
    as_of
FROM (
    SELECT
        program_id, partner_id, partner_name, district_key AS district_id, district_name,
        count() AS cohorts,
        sum(c_enrolled) AS enrolled,
        sum(c_active) AS active,
        sum(c_completed) AS completed,
        sum(c_dropped_out) AS dropped_out,
        sum(c_transferred) AS transferred,
        sum(c_attended) AS sessions_attended,
        sum(c_expected) AS sessions_expected,
        max(c_as_of) AS as_of
    FROM (
        SELECT program_id, partner_id, partner_name, district_key, district_name,
               c_enrolled, c_active, c_completed, c_dropped_out, c_transferred, c_attended, c_expected, c_as_of
        FROM (
            SELECT program_id, partner_id, district_key, district_name,
                   c_enrolled, c_active, c_completed, c_dropped_out, c_transferred, c_attended, c_expected, c_as_of
            FROM (
                SELECT program_id, partner_id, district_key,
                       c_enrolled, c_active, c_completed, c_dropped_out, c_transferred, c_attended, c_expected, c_as_of
                FROM (
                    SELECT program_id, partner_id,
                           enrolled AS c_enrolled, active AS c_active, completed AS c_completed,
                           dropped_out AS c_dropped_out, transferred AS c_transferred,
                           sessions_attended AS c_attended, sessions_expected AS c_expected, as_of AS c_as_of,
                           ifNull(org_unit_id, '') AS unit_key
                    FROM ${db}.v_cohort_retention
                ) AS cohort
                ALL LEFT JOIN (
                    SELECT org_unit_id AS unit_key,
                           if(level = 'district', org_unit_id, ifNull(district_id, '')) AS district_key
                    FROM ${db}.v_org_units
                ) AS unit USING (unit_key)
            ) AS placed
            ALL LEFT JOIN (
                SELECT org_unit_id AS district_key, name AS district_name FROM ${db}.v_org_units
            ) AS district USING (district_key)
        ) AS named
        ALL LEFT JOIN (
            SELECT partner_id, name AS partner_name FROM ${db}.v_partners
        ) AS partner USING (partner_id)
    )
    GROUP BY program_id, partner_id, partner_name, district_key, district_name
)
