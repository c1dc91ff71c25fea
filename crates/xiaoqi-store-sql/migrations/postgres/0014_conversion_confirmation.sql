-- A conversion income enters the ledger only once the other party confirms it (before, one
-- party's word split it). The decision is final and append-only. Conversions recorded before
-- this migration were accepted as recorded and are taken as confirmed by their recorder.
ALTER TABLE research_conversions ADD COLUMN recorded_side TEXT NOT NULL DEFAULT 'enterprise'
    CHECK (recorded_side IN ('college', 'enterprise'));

CREATE TABLE research_conversion_decisions (
    conversion_id BIGINT PRIMARY KEY REFERENCES research_conversions (id),
    decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'disputed')),
    reason TEXT NOT NULL,
    decided_by BIGINT NOT NULL REFERENCES accounts (id),
    decided_at BIGINT NOT NULL
);
INSERT INTO research_conversion_decisions (conversion_id, decision, reason, decided_by, decided_at)
    SELECT id, 'confirmed', '', recorded_by, recorded_at FROM research_conversions;

CREATE TRIGGER research_conversion_decisions_no_change BEFORE UPDATE OR DELETE ON research_conversion_decisions
FOR EACH ROW EXECUTE FUNCTION research_ledger_append_only();
CREATE TRIGGER research_conversion_decisions_no_truncate BEFORE TRUNCATE ON research_conversion_decisions
FOR EACH STATEMENT EXECUTE FUNCTION research_ledger_append_only();
