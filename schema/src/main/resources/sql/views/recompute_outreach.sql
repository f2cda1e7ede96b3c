-- Outreach: distinct persons per program x period (month, quarter, year, fiscal_year, to_date) x
-- dimension (program, partner, district, upazila via the org unit's ancestry) x (the person's sex x
-- age band, and all x all), exact counts: the persons of recompute_outreach_persons counted per cell,
-- new_people_reached those of them that are new in the cell's period (rules there).
SELECT program_id, period_kind, period, period_start, dimension, dimension_id, sex, age_band,
       toInt64(count()) AS people_reached,
       toInt64(countIf(is_new = 1)) AS new_people_reached
FROM ${db}.recompute_outreach_persons
GROUP BY program_id, period_kind, period, period_start, dimension, dimension_id, sex, age_band
