-- Full-text search (SQLite). Keep in step with ../postgres/0004_search.sql.
-- One row per searchable record; the segmented, ASCII-encoded words (xiaoqi_engine::search) live
-- only in the FTS5 index, whose rowid is search_doc.id. Hits are ordered by id, newest first:
-- an upsert deletes and re-inserts, so AUTOINCREMENT keeps ids growing (never reused).
CREATE TABLE search_doc (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    ref_id INTEGER NOT NULL,
    org_id INTEGER,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (kind, ref_id)
);
-- Contentless (the words are not stored twice), deletable by rowid, without positions (queries
-- are plain AND of words). unicode61 keeps each encoded word ([a-z0-9]+) whole.
CREATE VIRTUAL TABLE search_fts USING fts5 (
    tokens,
    content = '',
    contentless_delete = 1,
    detail = none,
    tokenize = 'unicode61'
);
-- Whoever deletes a document (an upsert, a delete) removes its words too.
CREATE TRIGGER search_doc_delete_words AFTER DELETE ON search_doc
BEGIN
    DELETE FROM search_fts WHERE rowid = old.id;
END;
