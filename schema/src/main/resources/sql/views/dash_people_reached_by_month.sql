-- Dashboard: distinct people reached per month, in total (sex = age_band = 'all'), for every
-- dimension the streams compute (program, partner, district, upazila). Never sum these rows.
SELECT program_id, period AS month, period_start, dimension, dimension_id,
       people_reached, new_people_reached, as_of, updated_at
FROM ${db}.outreach_monthly
WHERE sex = 'all' AND age_band = 'all'
