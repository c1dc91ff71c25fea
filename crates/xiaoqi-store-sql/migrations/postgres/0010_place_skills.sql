-- The skills a practice place needs or trains (JSON list of {skill, weight, min_level}, codes of
-- the skills vocabulary): the platform ranks a place's applicants against them when the
-- enterprise ranks nobody. Same text on both engines.
ALTER TABLE practice_places ADD COLUMN skills_json TEXT NOT NULL DEFAULT '[]';
