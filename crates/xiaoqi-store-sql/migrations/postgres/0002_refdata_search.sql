-- Reference-data search on a folded copy of code, names and aliases (xiaoqi_engine::text::fold),
-- so both engines compare the same text with a plain LIKE. Filled when the data is (re)loaded.
ALTER TABLE occupations ADD COLUMN search_folded TEXT NOT NULL DEFAULT '';
ALTER TABLE regions ADD COLUMN search_folded TEXT NOT NULL DEFAULT '';
DELETE FROM refdata_meta;
