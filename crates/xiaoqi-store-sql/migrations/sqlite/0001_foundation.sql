-- Foundation schema (SQLite). Keep in step with ../postgres/0001_foundation.sql: same tables,
-- columns and constraints; only type spellings differ. Times are i64 ms since the epoch (UTC),
-- money is i64 fen, flags are 0/1 integers.
CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT,
    region_code TEXT,
    description TEXT,
    website TEXT,
    industry TEXT,
    employees INTEGER,
    revenue_fen INTEGER,
    assets_fen INTEGER,
    credit_code TEXT UNIQUE,
    size_class TEXT,
    membership TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX organizations_kind ON organizations (kind, membership);
CREATE INDEX organizations_region ON organizations (region_code);
-- One alliance per platform.
CREATE UNIQUE INDEX organizations_one_alliance ON organizations (kind) WHERE kind = 'alliance';

CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    UNIQUE (org_id, name)
);
CREATE TABLE majors (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    department_id INTEGER REFERENCES departments (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (org_id, code)
);
CREATE TABLE classes (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    major_id INTEGER REFERENCES majors (id),
    name TEXT NOT NULL,
    entry_year INTEGER NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    email TEXT UNIQUE,
    mobile TEXT UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    CHECK (email IS NOT NULL OR mobile IS NOT NULL)
);
CREATE TABLE role_grants (
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    role TEXT NOT NULL,
    PRIMARY KEY (account_id, org_id, role)
);
CREATE INDEX role_grants_org ON role_grants (org_id);
CREATE TABLE students (
    account_id INTEGER PRIMARY KEY REFERENCES accounts (id),
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    student_no TEXT NOT NULL,
    class_id INTEGER REFERENCES classes (id),
    UNIQUE (org_id, student_no)
);

CREATE TABLE membership_applications (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    applicant_id INTEGER NOT NULL REFERENCES accounts (id),
    message TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    decided_by INTEGER REFERENCES accounts (id),
    created_at INTEGER NOT NULL,
    decided_at INTEGER
);
CREATE INDEX membership_applications_status ON membership_applications (status, created_at);
-- At most one pending application per organisation, whatever races the application makes.
CREATE UNIQUE INDEX membership_applications_one_pending ON membership_applications (org_id) WHERE status = 'pending';

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    success INTEGER NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts (key, at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_id INTEGER,
    org_id INTEGER,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    request_id TEXT
);
CREATE INDEX audit_log_org ON audit_log (org_id, id);
-- Append-only: the database itself refuses edits and deletions.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    kind TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    link TEXT,
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notifications_account ON notifications (account_id, id);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE refdata_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version TEXT NOT NULL
);
CREATE TABLE occupations (
    code TEXT PRIMARY KEY,
    level INTEGER NOT NULL,
    parent_code TEXT,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    aliases TEXT NOT NULL,
    green INTEGER NOT NULL,
    digital INTEGER NOT NULL
);
CREATE INDEX occupations_parent ON occupations (parent_code);
CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    parent_code TEXT,
    level INTEGER NOT NULL,
    name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    pinyin TEXT NOT NULL
);
CREATE INDEX regions_parent ON regions (parent_code);
