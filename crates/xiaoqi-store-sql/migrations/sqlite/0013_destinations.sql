-- Graduate destinations (毕业去向, SQLite). Keep in step with ../postgres/0013_destinations.sql:
-- same tables, columns and constraints; only type spellings differ. Dates are 'YYYY-MM-DD'
-- text, times ms UTC. The register keeps every entry (a graduate's destination can change), so
-- the figures can be read as of any date.

-- The occupations (CSCO 2022 codes) a major serves, against which the related-to-major rate
-- compares a graduate's post.
CREATE TABLE major_occupations (
    major_id INTEGER NOT NULL REFERENCES majors (id),
    occupation_code TEXT NOT NULL,
    PRIMARY KEY (major_id, occupation_code)
);

-- A graduate of a college's cohort (the graduation year); a student graduates once.
CREATE TABLE graduates (
    id INTEGER PRIMARY KEY,
    college_org_id INTEGER NOT NULL REFERENCES organizations (id),
    account_id INTEGER NOT NULL UNIQUE REFERENCES accounts (id),
    cohort INTEGER NOT NULL CHECK (cohort BETWEEN 2000 AND 2100),
    major_id INTEGER REFERENCES majors (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX graduates_cohort ON graduates (college_org_id, cohort);

-- One entry of a graduate's register: entered by the student (awaiting check) or by the career
-- officer (checked), optionally confirmed by the employer.
CREATE TABLE destinations (
    id INTEGER PRIMARY KEY,
    graduate_id INTEGER NOT NULL REFERENCES graduates (id),
    kind TEXT NOT NULL CHECK (kind IN ('further_study', 'contract_employment', 'flexible_employment',
        'self_employment', 'not_placed', 'not_seeking')),
    destination_date TEXT NOT NULL,
    employer_org_id INTEGER REFERENCES organizations (id),
    employer_name TEXT,
    occupation_code TEXT,
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('entered', 'checked')),
    entered_by INTEGER NOT NULL REFERENCES accounts (id),
    entered_at INTEGER NOT NULL,
    checked_by INTEGER REFERENCES accounts (id),
    checked_at INTEGER,
    confirmed_by INTEGER REFERENCES accounts (id),
    confirmed_at INTEGER,
    CHECK ((status = 'checked' AND checked_by IS NOT NULL AND checked_at IS NOT NULL)
        OR (status = 'entered' AND checked_by IS NULL AND checked_at IS NULL)),
    CHECK (employer_org_id IS NULL OR kind IN ('contract_employment', 'flexible_employment'))
);
CREATE INDEX destinations_graduate ON destinations (graduate_id, destination_date);
CREATE INDEX destinations_employer ON destinations (employer_org_id) WHERE employer_org_id IS NOT NULL;
