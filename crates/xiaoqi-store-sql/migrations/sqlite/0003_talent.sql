-- Talent demand and supply (issue 3). Nested parts are JSON text, read and written whole.
CREATE TABLE demands (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    occupation_code TEXT,
    roles_json TEXT NOT NULL,
    headcount INTEGER NOT NULL CHECK (headcount > 0),
    region_code TEXT,
    pay_min_fen INTEGER,
    pay_max_fen INTEGER,
    start_date INTEGER,
    valid_until INTEGER NOT NULL,
    education TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    published_at INTEGER,
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (pay_min_fen IS NULL OR pay_max_fen IS NULL OR pay_min_fen <= pay_max_fen)
);
CREATE INDEX demands_org ON demands (org_id, id);
CREATE INDEX demands_status ON demands (status, valid_until);

ALTER TABLE majors ADD COLUMN skills_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE majors ADD COLUMN certificates_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE majors ADD COLUMN yearly_graduates INTEGER NOT NULL DEFAULT 0;
ALTER TABLE majors ADD COLUMN description TEXT NOT NULL DEFAULT '';

CREATE TABLE student_profiles (
    account_id INTEGER PRIMARY KEY REFERENCES accounts (id),
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    major_id INTEGER REFERENCES majors (id),
    skills_json TEXT NOT NULL,
    certificates_json TEXT NOT NULL,
    grade_avg INTEGER,
    graduation_year INTEGER,
    region_code TEXT,
    preferred_regions_json TEXT NOT NULL,
    preferred_occupations_json TEXT NOT NULL,
    intro TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
);
CREATE INDEX student_profiles_org ON student_profiles (org_id);

CREATE TABLE profile_consents (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    scope TEXT NOT NULL,
    grantee_org_id INTEGER REFERENCES organizations (id),
    granted_at INTEGER NOT NULL,
    revoked_at INTEGER,
    CHECK ((scope = 'alliance' AND grantee_org_id IS NULL) OR (scope = 'organisation' AND grantee_org_id IS NOT NULL))
);
-- One live consent per scope and grantee.
CREATE UNIQUE INDEX profile_consents_live ON profile_consents (account_id, scope, COALESCE(grantee_org_id, 0)) WHERE revoked_at IS NULL;
CREATE INDEX profile_consents_grantee ON profile_consents (grantee_org_id) WHERE revoked_at IS NULL;
