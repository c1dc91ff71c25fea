-- Industry–university–research cooperation, part 2 (SQLite): the risk- and benefit-sharing
-- agreement (versions and signatures), results, conversion events and their append-only
-- distribution ledger, government programmes with applications and awards.
-- ../postgres/0011_research_benefit.sql: same tables, columns and constraints; only type
-- spellings and the trigger syntax differ.

CREATE TABLE research_agreement_versions (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES research_projects (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    terms_json TEXT NOT NULL,
    proposed_by INTEGER NOT NULL REFERENCES accounts (id),
    proposed_at INTEGER NOT NULL,
    -- Set when every platform party has signed; a later version in force replaces it.
    in_force_at INTEGER,
    -- Set when a newer proposal replaced this one before it came into force.
    superseded_at INTEGER,
    UNIQUE (project_id, version),
    CHECK (in_force_at IS NULL OR superseded_at IS NULL)
);

CREATE TABLE research_agreement_signatures (
    version_id INTEGER NOT NULL REFERENCES research_agreement_versions (id),
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    signed_by INTEGER NOT NULL REFERENCES accounts (id),
    signed_at INTEGER NOT NULL,
    PRIMARY KEY (version_id, org_id)
);

CREATE TABLE research_results (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES research_projects (id),
    kind TEXT NOT NULL CHECK (kind IN ('patent', 'software_copyright', 'product', 'process', 'standard', 'paper')),
    title TEXT NOT NULL,
    registration_no TEXT,
    result_date TEXT NOT NULL,
    owners_json TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX research_results_project ON research_results (project_id, id);

CREATE TABLE research_conversions (
    id INTEGER PRIMARY KEY,
    result_id INTEGER NOT NULL REFERENCES research_results (id),
    kind TEXT NOT NULL CHECK (kind IN ('licence', 'transfer', 'sale', 'internal_use')),
    counterparty TEXT NOT NULL,
    event_date TEXT NOT NULL,
    income_fen INTEGER NOT NULL CHECK (income_fen > 0 AND income_fen <= 100000000000),
    note TEXT NOT NULL,
    -- The agreement version in force when the income was distributed.
    agreement_version_id INTEGER NOT NULL REFERENCES research_agreement_versions (id),
    recorded_by INTEGER NOT NULL REFERENCES accounts (id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX research_conversions_result ON research_conversions (result_id, id);

CREATE TABLE research_ledger_lines (
    id INTEGER PRIMARY KEY,
    conversion_id INTEGER NOT NULL REFERENCES research_conversions (id),
    position INTEGER NOT NULL,
    beneficiary_kind TEXT NOT NULL CHECK (beneficiary_kind IN ('party', 'inventor')),
    beneficiary_index INTEGER NOT NULL CHECK (beneficiary_index >= 0),
    name TEXT NOT NULL,
    org_id INTEGER REFERENCES organizations (id),
    account_id INTEGER REFERENCES accounts (id),
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0 AND amount_fen <= 100000000000),
    UNIQUE (conversion_id, position)
);

-- Conversion events and their ledger are append-only: a correction is a new event.
CREATE TRIGGER research_conversions_no_update BEFORE UPDATE ON research_conversions
BEGIN SELECT RAISE(ABORT, 'research_conversions is append-only'); END;
CREATE TRIGGER research_conversions_no_delete BEFORE DELETE ON research_conversions
BEGIN SELECT RAISE(ABORT, 'research_conversions is append-only'); END;
CREATE TRIGGER research_ledger_lines_no_update BEFORE UPDATE ON research_ledger_lines
BEGIN SELECT RAISE(ABORT, 'research_ledger_lines is append-only'); END;
CREATE TRIGGER research_ledger_lines_no_delete BEFORE DELETE ON research_ledger_lines
BEGIN SELECT RAISE(ABORT, 'research_ledger_lines is append-only'); END;

CREATE TABLE research_programmes (
    id INTEGER PRIMARY KEY,
    agency_org_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    eligible_sizes_json TEXT NOT NULL,
    -- Hundredths of a percent, 0 to 1,000 %.
    matching_ratio INTEGER NOT NULL CHECK (matching_ratio >= 0 AND matching_ratio <= 100000),
    ceiling_fen INTEGER NOT NULL CHECK (ceiling_fen > 0 AND ceiling_fen <= 100000000000),
    deadline TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX research_programmes_agency ON research_programmes (agency_org_id, id);

CREATE TABLE research_programme_applications (
    id INTEGER PRIMARY KEY,
    programme_id INTEGER NOT NULL REFERENCES research_programmes (id),
    project_id INTEGER NOT NULL REFERENCES research_projects (id),
    applicant_org_id INTEGER NOT NULL REFERENCES organizations (id),
    requested_fen INTEGER NOT NULL CHECK (requested_fen > 0 AND requested_fen <= 100000000000),
    enterprise_funding_fen INTEGER NOT NULL CHECK (enterprise_funding_fen >= 0),
    status TEXT NOT NULL CHECK (status IN ('submitted', 'awarded')),
    awarded_fen INTEGER CHECK (awarded_fen IS NULL OR (awarded_fen > 0 AND awarded_fen <= requested_fen)),
    line_id INTEGER REFERENCES research_budget_lines (id),
    applied_by INTEGER NOT NULL REFERENCES accounts (id),
    applied_at INTEGER NOT NULL,
    decided_by INTEGER REFERENCES accounts (id),
    decided_at INTEGER,
    UNIQUE (programme_id, project_id),
    CHECK ((status = 'awarded') = (awarded_fen IS NOT NULL AND line_id IS NOT NULL))
);
