-- A conversion income enters the ledger only once the other party confirms it (before, one
-- party's word split it). The decision is final and append-only. Conversions recorded before
-- this migration were accepted as recorded and are taken as confirmed by their recorder.
ALTER TABLE research_conversions ADD COLUMN recorded_side TEXT NOT NULL DEFAULT 'enterprise'
    CHECK (recorded_side IN ('college', 'enterprise'));

CREATE TABLE research_conversion_decisions (
    conversion_id INTEGER PRIMARY KEY REFERENCES research_conversions (id),
    decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'disputed')),
    reason TEXT NOT NULL,
    decided_by INTEGER NOT NULL REFERENCES accounts (id),
    decided_at INTEGER NOT NULL
);
INSERT INTO research_conversion_decisions (conversion_id, decision, reason, decided_by, decided_at)
    SELECT id, 'confirmed', '', recorded_by, recorded_at FROM research_conversions;

CREATE TRIGGER research_conversion_decisions_no_update BEFORE UPDATE ON research_conversion_decisions
BEGIN SELECT RAISE(ABORT, 'research_conversion_decisions is append-only'); END;
CREATE TRIGGER research_conversion_decisions_no_delete BEFORE DELETE ON research_conversion_decisions
BEGIN SELECT RAISE(ABORT, 'research_conversion_decisions is append-only'); END;
